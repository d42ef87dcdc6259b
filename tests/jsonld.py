"""Reads an HTML page on standard input and prints the JSON-LD a crawler finds in it,
extracted with extruct (the library search engines' tooling is modelled on)."""
import json
import sys

import extruct

html = sys.stdin.read()
data = extruct.extract(html, base_url="http://factdesk.test/", syntaxes=["json-ld"], uniform=True)
print(json.dumps(data["json-ld"]))
