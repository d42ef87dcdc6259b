#!/usr/bin/env python3
"""Seed a Factdesk PostgreSQL database with synthetic benchmark data, fast.

Python 3.11 standard library only.  How it loads:

* users go in first, with one `psql -c "\\copy users ... from stdin"`.
* --jobs worker processes each generate every JOBS-th chunk of articles
  (250 articles, about 5,000 claims) and pipe it into their own
  `psql -1 -f -` as a script of `COPY table (cols) FROM STDIN (FORMAT csv)`
  blocks, parents before children (articles, claims, assignments, sources,
  verdicts, comments, publications, publication_verdicts).  Only one chunk
  is in memory per worker, so memory stays flat whatever --claims is, and
  each job is one transaction: a failure leaves none of its rows.
* UUIDs are drawn from the seeded random.Random (uuid4 bits), so foreign
  keys line up with no round trip.  Each article is generated from its own
  Random((seed << 40) + article_index): the rows do not depend on --jobs.
* Around the load, the secondary indexes of the loaded tables are dropped
  and rebuilt from their pg_indexes definitions, and (unless
  --keep-foreign-keys) the foreign keys are dropped and re-added, which
  validates every row.  Primary keys, unique indexes and CHECKs stay.

See bench/README.md for what is created and measured figures.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import math
import multiprocessing as mp
import queue
import random
import re
import signal
import subprocess
import sys
import time
import zlib

# ---------------------------------------------------------------------------
# Tables, columns, and the nullable columns given FORCE_NULL (so that a
# quoted "" there is NULL too; users are written by csv.QUOTE_NONNUMERIC,
# which quotes None as "").  Columns left out get their DEFAULT.
# ---------------------------------------------------------------------------

TABLES = {
    "users": (
        ("id", "email", "display_name", "role", "password_hash", "active",
         "time_zone", "created_at", "updated_at", "last_login_at"),
        ("password_hash", "last_login_at"),
    ),
    "articles": (
        ("id", "title", "url", "outlet", "author", "published_at", "language",
         "body", "created_by", "created_at", "updated_at"),
        ("url", "outlet", "author", "published_at", "language"),
    ),
    "claims": (
        ("id", "article_id", "quote", "span_start", "span_end", "statement",
         "claimant", "claimed_at", "status", "priority", "ever_published",
         "created_by", "created_at", "updated_at", "version", "statement_sketch"),
        ("claimant", "claimed_at"),
    ),
    "assignments": (
        ("id", "claim_id", "reviewer_id", "assigned_by", "assigned_at",
         "due_at", "note", "claim_status"),
        (),
    ),
    "sources": (
        ("id", "claim_id", "url", "title", "publisher", "kind", "stance",
         "excerpt", "archive_url", "accessed_at", "added_by", "created_at",
         "updated_at"),
        ("archive_url", "accessed_at"),
    ),
    "verdicts": (
        ("id", "claim_id", "rating", "summary", "explanation", "author_id",
         "state", "submitted_at", "approved_by", "approved_at", "created_at",
         "updated_at", "version"),
        ("rating", "submitted_at", "approved_by", "approved_at"),
    ),
    "comments": (
        ("id", "claim_id", "author_id", "body", "created_at"),
        (),
    ),
    "publications": (
        ("id", "article_id", "slug", "headline", "summary", "revision",
         "published_by", "published_at", "created_at", "updated_at"),
        (),
    ),
    "publication_verdicts": (
        ("publication_id", "revision", "claim_id", "verdict_id"),
        (),
    ),
}

# Load order inside one chunk: parents before children (foreign keys).
CHUNK_TABLES = ("articles", "claims", "assignments", "sources", "verdicts",
                "comments", "publications", "publication_verdicts")
# Tables whose secondary indexes are dropped during the load.
BIG_TABLES = CHUNK_TABLES
REPORT_TABLES = ("users",) + CHUNK_TABLES

RATING_KEYS = ("true", "mostly_true", "half_true", "mostly_false", "false",
               "misleading", "missing_context", "unproven")
RATING_WEIGHTS = (10, 12, 15, 18, 20, 12, 8, 5)

DAY = 86400
HOUR = 3600

UUID_MASK = ((1 << 128) - 1) & ~((0xF << 76) | (0x3 << 62))
UUID_BITS = (0x4 << 76) | (0x2 << 62)


def copy_sql(table: str) -> str:
    cols, force_null = TABLES[table]
    opts = "FORMAT csv"
    if force_null:
        opts += ", FORCE_NULL (" + ", ".join(force_null) + ")"
    return f"COPY {table} ({', '.join(cols)}) FROM STDIN WITH ({opts});\n"


# ---------------------------------------------------------------------------
# Vocabulary.  All people, outlets and hosts are fictional.
# ---------------------------------------------------------------------------

PEOPLE_EN = (
    "Maria Kowalski", "James Whitfield", "Anna Schmidt", "Daniel Okafor",
    "Sofia Rossi", "Thomas Meyer", "Elena Popescu", "Michael Chen",
    "Hannah Berg", "Luis Moreno", "Priya Raman", "Jonas Lindqvist",
    "Olivia Grant", "Marek Nowak", "Claire Dubois", "Oksana Hrytsenko",
    "Taras Boyko", "Iryna Savchenko", "Mykola Petrenko", "Yulia Tkachuk",
    "Andriy Lysenko", "Svitlana Moroz", "Petro Kuzmenko", "Natalia Oliynyk",
    "Giorgi Beridze", "Aigerim Nurlanova", "Kenji Watanabe", "Ana Souza",
    "Rahul Mehta", "Fatima Haddad", "Ion Ciobanu", "Laura Jensen",
)
# (name, gender) so Ukrainian verbs agree.
PEOPLE_UK = (
    ("Олена Коваленко", "f"), ("Тарас Мельник", "m"), ("Ірина Бондаренко", "f"),
    ("Андрій Шевчук", "m"), ("Оксана Литвиненко", "f"), ("Богдан Ткаченко", "m"),
    ("Наталія Кравченко", "f"), ("Дмитро Савчук", "m"), ("Юлія Гнатюк", "f"),
    ("Сергій Поліщук", "m"), ("Марія Зінченко", "f"), ("Олександр Руденко", "m"),
    ("Галина Федорук", "f"), ("Василь Гончаренко", "m"), ("Євгенія Дячук", "f"),
    ("Ярослав Кузьмич", "m"),
)
# English sentences sometimes name people in Cyrillic, as wire copy does.
PEOPLE_ANY = PEOPLE_EN + tuple(p for p, _ in PEOPLE_UK)

ROLES_EN = (
    "the finance minister", "an opposition MP", "the mayor of Kyiv",
    "the health minister", "a government spokesperson",
    "the central bank governor", "the leader of the Civic Platform party",
    "an economist at the Kyiv School of Economics", "the prime minister",
    "a deputy head of the presidential office", "the energy minister",
    "a regional governor", "a member of the European Parliament",
    "the head of the tax service", "a senior adviser to the president",
)
ATTRIB_EN = (
    "said", "claimed that", "told reporters that", "wrote on Facebook that",
    "argued that", "insisted that", "stated that", "posted on Telegram that",
    "said in a televised interview that", "told parliament that",
    "suggested that", "asserted that",
)
COUNTRIES_EN = (
    "Ukraine", "Poland", "Germany", "France", "Moldova", "Romania",
    "Lithuania", "the United States", "Canada", "Japan", "Brazil", "India",
    "Kenya", "Turkey", "Italy", "Spain", "the Netherlands", "Sweden",
    "Georgia", "Kazakhstan", "the United Kingdom", "Hungary", "Slovakia",
    "Estonia", "Finland", "Czechia", "Latvia", "Bulgaria", "Austria",
)
INSTITUTIONS_EN = (
    "the World Bank", "the IMF", "the National Bank of Ukraine", "Eurostat",
    "the State Statistics Service", "the OECD", "the European Commission",
    "the World Health Organization", "the Ministry of Finance",
    "the Kyiv School of Economics", "the UN refugee agency",
    "the Central Election Commission", "the Bureau of Labor Statistics",
    "the Office for National Statistics", "the Razumkov Centre",
    "the Pension Fund of Ukraine", "the State Tax Service",
    "the International Energy Agency", "the Ministry of Defence",
    "the Accounting Chamber",
)
METRICS_EN = (
    "inflation", "unemployment", "the budget deficit", "public debt",
    "GDP growth", "wheat exports", "gas imports", "defence spending",
    "child poverty", "the average wage", "electricity prices",
    "the minimum pension", "housing rents", "vaccination coverage",
    "emigration", "solar capacity", "the number of registered businesses",
    "grain harvests", "foreign direct investment", "the homicide rate",
    "tax revenue", "military aid", "coal output", "mortgage rates",
    "hospital waiting times", "food prices", "steel production",
    "the birth rate", "youth unemployment", "household energy bills",
)
PLURAL_EN = frozenset((
    "wheat exports", "gas imports", "electricity prices", "housing rents",
    "grain harvests", "mortgage rates", "hospital waiting times", "food prices",
    "household energy bills"))
UP_EN = ("rose by", "grew by", "increased by", "jumped by", "climbed by",
         "surged by")
DOWN_EN = ("fell by", "dropped by", "declined by", "shrank by",
           "decreased by", "slumped by")
PERFECT_UP_EN = ("has risen by", "has grown by", "has increased by",
                 "has jumped by", "has more than doubled, rising by")
PERFECT_DOWN_EN = ("has fallen by", "has dropped by", "has declined by",
                   "has shrunk by")
COMPARATIVE_EN = ("more than", "less than", "almost", "nearly", "over",
                  "just under", "roughly", "at least")
SUPERLATIVE_EN = (
    "the highest level since {y}", "the lowest level since {y}",
    "the highest in Europe", "the fastest pace in the EU",
    "a record for {c}", "the worst result in a decade",
    "the biggest increase among OECD members", "the lowest in the country's history",
    "more than in any other year since {y}", "the steepest drop since {y}",
    "the highest on record",
)
RATIO_EN = ("twice as high", "three times lower", "higher", "lower",
            "significantly higher", "slightly lower", "much higher",
            "far lower")
SECTORS_EN = ("defence", "education", "healthcare", "pensions",
              "road building", "research", "social housing", "agriculture")
EVENTS_EN = ("left the country", "lost their jobs", "received state aid",
             "were vaccinated", "applied for asylum", "moved to the capital",
             "registered as unemployed", "started a business",
             "returned home", "were displaced")
UNITS_EN = ("million", "billion")
CURRENCIES = ("$", "€", "UAH ", "£", "PLN ")
MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July",
             "August", "September", "October", "November", "December")
WEEKDAYS_EN = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday",
               "Saturday", "Sunday")
FACTORS_EN = ("seasonal workers", "the informal economy",
              "people who left the country", "regional differences",
              "the change in methodology in {y}", "occupied territories",
              "price subsidies", "one-off payments")

METRICS_UK = (
    ("інфляція", "зросла", "знизилася"),
    ("безробіття", "зросло", "скоротилося"),
    ("державний борг", "зріс", "скоротився"),
    ("дефіцит бюджету", "зріс", "скоротився"),
    ("експорт зерна", "зріс", "впав"),
    ("імпорт газу", "зріс", "скоротився"),
    ("середня зарплата", "зросла", "знизилася"),
    ("мінімальна пенсія", "зросла", "знизилася"),
    ("вартість оренди житла", "зросла", "знизилася"),
    ("рівень бідності", "зріс", "знизився"),
    ("кількість переселенців", "зросла", "скоротилася"),
    ("видобуток вугілля", "зріс", "впав"),
    ("ВВП", "зріс", "скоротився"),
    ("ціна на електроенергію", "зросла", "знизилася"),
    ("кількість зареєстрованих ФОП", "зросла", "скоротилася"),
    ("оборонний бюджет", "зріс", "скоротився"),
)
COUNTRIES_UK = (
    "в Україні", "у Польщі", "в Німеччині", "у Франції", "в Молдові",
    "в Румунії", "у Литві", "у США", "в Канаді", "в Японії", "у Грузії",
    "в Італії", "в Іспанії", "у Словаччині", "в Угорщині", "в Естонії",
)
INSTITUTIONS_UK = (
    "Держстату", "Національного банку України", "Міністерства фінансів",
    "Світового банку", "МВФ", "Київської школи економіки",
    "Міністерства охорони здоров'я", "Євростату", "Пенсійного фонду",
    "Рахункової палати", "Центру Разумкова",
)
SAID_UK = {"m": ("заявив", "наголосив", "повідомив", "стверджує", "переконаний"),
           "f": ("заявила", "наголосила", "повідомила", "стверджує", "переконана")}
QUOTED_UK = {"m": ("сказав", "заявив", "написав у Facebook"),
             "f": ("сказала", "заявила", "написала у Facebook")}
SUPERLATIVE_UK = (
    "це найвищий показник з {y} року", "це найнижчий рівень за десятиліття",
    "це рекорд для країни", "більше, ніж {c2}", "менше, ніж {c2}",
    "це найшвидші темпи в Європі",
)

FILLER_EN = (
    "{p}, who has served as {r} since {y}, did not respond to a request for comment.",
    "{I} is expected to publish revised figures in {m}.",
    "Critics say the figures do not account for {f}.",
    "The statement was made during a televised debate on {d}.",
    "Independent analysts at {i} dispute the methodology behind the numbers.",
    "The claim was widely shared on social media, gathering more than {n:,} views in {k} days.",
    "In {y}, the government of {c} announced a plan to cut {t} by {q} by {y5}.",
    "Opposition lawmakers called the remarks misleading.",
    "Data from {i} for the first quarter of {y} show a more mixed picture.",
    "The figure was repeated at a press conference in {c} on {d}.",
    "Economists have long debated how to measure {t} in {c}.",
    "A spokesperson for {i} said the data would be updated in {m}.",
    "The remarks came a week before the {y} budget vote.",
    "Про це повідомив {pu} під час брифінгу в Києві.",
    "{p} later repeated the claim in an interview with a regional broadcaster.",
    "The most recent official estimate, published in {m} {y}, is {q}.",
)
FILLER_UK = (
    "Речник міністерства не відповів на запит про коментар.",
    "Дані {iu} за {y} рік показують неоднозначну картину.",
    "Критики зазначають, що статистика не враховує тимчасово окуповані території.",
    "Заяву зробили під час телеефіру {d}.",
    "Допис набрав понад {n} переглядів у соцмережах.",
    "Про це повідомив {pu} під час брифінгу в Києві.",
    "Офіційні дані за перший квартал {y} року поки не оприлюднені.",
    "Експерти {iu} ставлять під сумнів методологію підрахунку.",
    "Опозиційні депутати назвали ці слова маніпуляцією.",
)
WEEKDAYS_UK = ("у понеділок", "у вівторок", "у середу", "у четвер",
               "у п'ятницю", "у суботу", "у неділю")

EXPLAIN_EN = (
    "Official data from {i} show that {t} {ch} {q} in {y}, not {q2} as claimed.",
    "The figure quoted matches the {y} estimate but ignores the revision published in {m}.",
    "We could not find any dataset that supports the number cited.",
    "{I} confirmed the figure to us by email, with the caveat that it excludes {f}.",
    "Comparisons with {c} are misleading because the two countries measure {t} differently.",
    "The claim relies on a single month of data; the annual figure is {q2}.",
    "Independent estimates from {i} put the number between {q} and {q2}.",
    "The statement is broadly accurate, although the base year chosen exaggerates the change.",
)
SUMMARY_EN = (
    "Official statistics contradict the figure.",
    "The number is accurate but the comparison is not.",
    "The claim cherry-picks a single month of data.",
    "Broadly accurate, with minor rounding.",
    "No evidence supports this claim.",
    "The figure is outdated: it was revised in {y}.",
    "Accurate, according to {i}.",
    "The comparison ignores differences in methodology.",
)
NOTES_EN = (
    "Please focus on the official statistics.",
    "Urgent: this is trending on social media.",
    "Check the methodology behind the comparison.",
    "Second opinion requested by the editor.",
    "Call the ministry press office.",
    "Compare with the previous year's figures.",
)
COMMENTS_EN = (
    "Found the original dataset on the statistics office website.",
    "The ministry press office promised an answer by {d}.",
    "I think the rating should be {r} rather than a stronger one.",
    "The figure appears in the {y} annual report, page {k}.",
    "Can we get a second source for the {q} number?",
    "Чи є офіційне підтвердження цієї цифри від {iu}?",
    "Looks good to me, ready for the editor.",
    "The claimant's office sent a link to a press release from {y}.",
)
SOURCE_KINDS = ("primary", "official_data", "expert", "secondary", "other")
SOURCE_KIND_WEIGHTS = (25, 35, 15, 20, 5)
SOURCE_STANCES = ("supports", "refutes", "context")
SOURCE_STANCE_WEIGHTS = (30, 35, 35)
SOURCE_PATHS = ("data", "reports", "news", "press", "stats", "publications")
SOURCE_HOSTS = (
    ("stat.gov.example", "State Statistics Service"),
    ("data.worldbank.example", "World Bank"),
    ("imf.example", "International Monetary Fund"),
    ("bank.gov.example", "National Bank"),
    ("ec.europa.example", "European Commission"),
    ("who.example", "World Health Organization"),
    ("mof.gov.example", "Ministry of Finance"),
    ("kse.example", "Kyiv School of Economics"),
    ("razumkov.example", "Razumkov Centre"),
    ("oecd.example", "OECD"),
    ("rada.gov.example", "Verkhovna Rada"),
    ("unhcr.example", "UNHCR"),
)
OUTLETS = (
    ("The Daily Ledger", "dailyledger.example"),
    ("Kyiv Morning Post", "kyivmorningpost.example"),
    ("Northern Courier", "northerncourier.example"),
    ("Європейський вісник", "evrovisnyk.example"),
    ("Capital Observer", "capitalobserver.example"),
    ("Дніпровська правда", "dniprovska.example"),
    ("Baltic Review", "balticreview.example"),
    ("The Evening Standard-Bearer", "standardbearer.example"),
)
TIME_ZONES = ("UTC", "Europe/Kyiv", "Europe/Warsaw", "Europe/Berlin",
              "America/New_York", "Europe/London")

# Claim status mix (mode "mixed").  40% of the articles are from the last
# RECENT_DAYS (the desk's current work), the rest spread over two years.  A
# claim is still open (in the workflow) with probability
# 0.95 * exp(-age / 12 days) when recent, 1% when older (stale work).
# That gives about 19% open claims, and about 40% of the open claims'
# assignments overdue.  Overall: published ~67%, approved ~8%, in_review ~7%,
# dropped ~6%, assigned ~5%, submitted ~4%, draft ~2%.
RECENT_DAYS = 21
OPEN_STATUSES = ("draft", "assigned", "in_review", "submitted")
OPEN_CUM_W = (12, 28, 38, 22)
CLOSED_STATUSES = ("approved", "published", "dropped")
CLOSED_RECENT_W = (25, 68, 7)
CLOSED_OLD_W = (4, 89, 7)
MODE_STATUS = {"approved": "approved", "published": "published",
               "submitted": "submitted", "draft": "in_review"}
PRIORITIES = ("low", "normal", "high", "urgent")
PRIORITY_WEIGHTS = (15, 60, 20, 5)

SLUG_RE = re.compile(r"[^a-z0-9]+")


def cum(weights):
    out, t = [], 0
    for w in weights:
        t += w
        out.append(t / sum(weights))
    out[-1] = 1.0
    return tuple(out)


def pick_cum(values, cumw, x):
    for v, c in zip(values, cumw):
        if x < c:
            return v
    return values[-1]


RATING_CUM = cum(RATING_WEIGHTS)
OPEN_CUM = cum(OPEN_CUM_W)
CLOSED_RECENT_CUM = cum(CLOSED_RECENT_W)
CLOSED_OLD_CUM = cum(CLOSED_OLD_W)
PRIORITY_CUM = cum(PRIORITY_WEIGHTS)
KIND_CUM = cum(SOURCE_KIND_WEIGHTS)
STANCE_CUM = cum(SOURCE_STANCE_WEIGHTS)


def slugify(text: str, fallback: str) -> str:
    s = SLUG_RE.sub("-", text.lower()).strip("-")[:60].strip("-")
    return s or fallback


# ---------------------------------------------------------------------------
# Timestamps: epoch seconds -> 'YYYY-MM-DD HH:MM:SS+00', with a day cache.
# ---------------------------------------------------------------------------

TAILS = tuple(f"{m:02d}:{s:02d}+00" for m in range(60) for s in range(60))


class TS:
    """Epoch seconds -> 'YYYY-MM-DD HH:MM:SS+00' (cached per hour)."""

    def __init__(self):
        self.hours = {}

    def __call__(self, s: int) -> str:
        h, r = divmod(s, HOUR)
        pre = self.hours.get(h)
        if pre is None:
            pre = (dt.datetime(1970, 1, 1) + dt.timedelta(hours=h)).strftime("%Y-%m-%d %H:")
            self.hours[h] = pre
        return pre + TAILS[r]


# ---------------------------------------------------------------------------
# Text generation
# ---------------------------------------------------------------------------

class Text:
    """Sentence generators bound to one random.Random."""

    def __init__(self, rng: random.Random, pools=None):
        r = self.r = rng.random
        # random.choice/randint are Python-level and dominate the profile;
        # these C-backed equivalents are ~5x faster.
        self.ri = lambda a, b: a + int(r() * (b - a + 1))
        self.ch = lambda seq: seq[int(r() * len(seq))]
        self.pools = pools

    def pct(self) -> str:
        r = self.r()
        if r < 0.45:
            return f"{self.ri(1, 60)}%"
        if r < 0.7:
            return f"{self.ri(1, 400) / 10:g}%"
        if r < 0.9:
            return f"{self.ri(1, 400) / 10:g} percent"
        return f"{self.ri(2, 90)} per cent"

    def pct_uk(self) -> str:
        if self.r() < 0.6:
            return f"{self.ri(1, 60)}%"
        return f"{self.ri(11, 399) / 10:.1f}".replace(".", ",") + " відсотка"

    def amount(self) -> str:
        r = self.r()
        if r < 0.5:
            return f"{self.ch(CURRENCIES)}{self.ri(11, 999) / 10:g} {self.ch(UNITS_EN)}"
        if r < 0.75:
            return f"{self.ri(1, 99) / 10 + self.ri(1, 9):g} million"
        return f"{self.ri(10, 990) * 1000:,}"

    def year(self) -> int:
        return self.ri(1991, 2025)

    def claim(self):
        """Returns (sentence, quote_start, quote_end, statement, claimant)."""
        ch, r = self.ch, self.r
        t = self.ri(0, 5)
        person = ch(PEOPLE_ANY)
        metric = ch(METRICS_EN)
        country = ch(COUNTRIES_EN)
        year = self.year()
        if t == 0:
            change = ch(UP_EN) if r() < 0.6 else ch(DOWN_EN)
            core = f"{metric} in {country} {change} {self.pct()} in {year}"
            prefix = f"{person}, {ch(ROLES_EN)}, {ch(ATTRIB_EN)} "
            sent = prefix + core + "."
            stmt = core[0].upper() + core[1:]
            if r() < 0.6:
                return sent, len(prefix), len(prefix) + len(core), stmt, person
            return sent, 0, len(sent), stmt, person
        if t == 1:
            change = ch(PERFECT_UP_EN) if r() < 0.6 else ch(PERFECT_DOWN_EN)
            if metric in PLURAL_EN:
                change = "have" + change[3:]
            sup = ch(SUPERLATIVE_EN).format(y=self.year(), c=country)
            pct = self.pct()
            inner = f"{_cap(metric)} in {country} {change} {pct} since {year}, {sup}"
            sent = f"\u201c{inner},\u201d {person} said on {ch(WEEKDAYS_EN)}."
            stmt = f"{_cap(metric)} in {country} {change} {pct} since {year}"
            return sent, 1, 1 + len(inner), stmt, person
        if t == 2:
            inst = ch(INSTITUTIONS_EN)
            amount = self.amount()
            other = ch(COUNTRIES_EN)
            core = f"{metric} in {country} reached {amount} in {year}, {ch(COMPARATIVE_EN)} {self.pct()} higher than in {other}"
            prefix = f"According to {inst}, "
            sent = prefix + core + "."
            stmt = f"{metric[0].upper()}{metric[1:]} in {country} reached {amount} in {year}"
            return sent, len(prefix), len(prefix) + len(core), stmt, inst[4:] if inst.startswith("the ") else inst
        if t == 3:
            sector = ch(SECTORS_EN)
            sup = ch(SUPERLATIVE_EN).format(y=self.year(), c=country)
            core = f"{country} now spends {ch(COMPARATIVE_EN)} {self.pct()} of GDP on {sector}, {sup}"
            prefix = f"{person} {ch(ATTRIB_EN)} "
            sent = prefix + core + "."
            stmt = f"{core[0].upper()}{core[1:].split(',')[0]}"
            return sent, len(prefix), len(prefix) + len(core), stmt, person
        if t == 4:
            inst = ch(INSTITUTIONS_EN)
            event = ch(EVENTS_EN)
            amount = (f"{self.ri(11, 99) / 10:g} million" if r() < 0.3
                      else f"{self.ri(2, 900):,},000")
            core = f"{amount} people {event} in {year}, up {self.pct()} from {year - 1}"
            prefix = f"{inst[0].upper()}{inst[1:]} reported that "
            sent = prefix + core + "."
            stmt = f"{amount} people {event} in {country} in {year}"
            return sent, 0, len(sent), stmt, inst[4:] if inst.startswith("the ") else inst
        other = ch(COUNTRIES_EN)
        core = f"{metric} {'are' if metric in PLURAL_EN else 'is'} {ch(RATIO_EN)} in {country} than in {other}"
        prefix = f"{person} {ch(ATTRIB_EN)} "
        sent = prefix + core + f", citing {ch(INSTITUTIONS_EN)} data from {year}."
        stmt = _cap(core)
        return sent, len(prefix), len(prefix) + len(core), stmt, person

    def claim_uk(self):
        ch, r = self.ch, self.r
        person, g = ch(PEOPLE_UK)
        metric, up, down = ch(METRICS_UK)
        verb = up if r() < 0.6 else down
        country = ch(COUNTRIES_UK)
        year = self.year()
        pct = self.pct_uk()
        t = self.ri(0, 2)
        if t == 0:
            core = f"{metric} {country} {verb} на {pct} у {year} році"
            prefix = f"{person} {ch(SAID_UK[g])}, що "
            sent = prefix + core + "."
            stmt = core[0].upper() + core[1:]
            return sent, len(prefix), len(prefix) + len(core), stmt, person
        if t == 1:
            sup = ch(SUPERLATIVE_UK).format(y=self.year(), c2=ch(COUNTRIES_UK))
            core = f"у {year} році {metric} {verb} на {pct}, {sup}"
            prefix = f"За даними {ch(INSTITUTIONS_UK)}, "
            sent = prefix + core + "."
            stmt = f"{metric[0].upper()}{metric[1:]} {country} {verb} на {pct} у {year} році"
            return sent, 0, len(sent), stmt, None
        inner = f"{metric[0].upper()}{metric[1:]} {country} {verb} на {pct} з {year} року"
        sent = f"\u00ab{inner}\u00bb, \u2014 {ch(QUOTED_UK[g])} {person}."
        return sent, 1, 1 + len(inner), inner, person

    # Body filler, explanations, comments and excerpts come from per-seed pools
    # (tens of thousands of distinct sentences): generating every one afresh
    # would triple the generator's CPU time for text that is not indexed.
    def filler(self) -> str:
        p = self.pools["filler"]
        return p[int(self.r() * len(p))]

    def filler_uk(self) -> str:
        p = self.pools["filler_uk"]
        return p[int(self.r() * len(p))]

    def explanation(self) -> str:
        p = self.pools["explanation"]
        return p[int(self.r() * len(p))]

    def comment(self) -> str:
        p = self.pools["comment"]
        return p[int(self.r() * len(p))]

    def make_filler(self) -> str:
        ch = self.ch
        y = self.year()
        return ch(FILLER_EN).format(
            p=ch(PEOPLE_ANY), r=ch(ROLES_EN), y=y, y5=y + 5, I=_cap(ch(INSTITUTIONS_EN)),
            i=ch(INSTITUTIONS_EN), m=ch(MONTHS_EN), f=ch(FACTORS_EN).format(y=y),
            d=ch(WEEKDAYS_EN), n=self.ri(1000, 5_000_000), k=self.ri(2, 14),
            c=ch(COUNTRIES_EN), t=ch(METRICS_EN), q=self.pct(), pu=ch(PEOPLE_UK)[0],
        )

    def make_filler_uk(self) -> str:
        ch = self.ch
        return ch(FILLER_UK).format(
            iu=ch(INSTITUTIONS_UK), y=self.year(), d=ch(WEEKDAYS_UK),
            n=self.ri(1000, 900000), pu=ch(PEOPLE_UK)[0],
        )

    def make_explanation(self) -> str:
        ch = self.ch
        out = []
        for _ in range(self.ri(2, 5)):
            y = self.year()
            out.append(ch(EXPLAIN_EN).format(
                i=ch(INSTITUTIONS_EN), I=_cap(ch(INSTITUTIONS_EN)), t=ch(METRICS_EN),
                ch=ch(UP_EN), q=self.pct(), q2=self.pct(), y=y, m=ch(MONTHS_EN),
                f=ch(FACTORS_EN).format(y=y), c=ch(COUNTRIES_EN)))
        return " ".join(out)

    def summary(self) -> str:
        return self.ch(SUMMARY_EN).format(y=self.year(), i=self.ch(INSTITUTIONS_EN))

    def make_comment(self) -> str:
        ch = self.ch
        return ch(COMMENTS_EN).format(
            d=ch(WEEKDAYS_EN), r=ch(RATING_KEYS).replace("_", " "), y=self.year(),
            k=self.ri(2, 240), q=self.pct(), iu=ch(INSTITUTIONS_UK))


def _cap(s: str) -> str:
    return s[0].upper() + s[1:]


# The statement sketch of src/db/sketch.rs, computed the same way (a test compares
# the two): CRC-32 of the words of three characters or more, lowercased, stop words out;
# the four smallest hashes' top 21 bits; one value per three of them.
SKETCH_STOP_WORDS = frozenset("""
about after all also and any are been before but can could did does for from had has
have her his its more not now our over said says she since than that the their them
then there these they this those was were what when which who will with would you
але від для його коли між над під після при про так також там тим цей через що щодо
який яка які""".split())
_WORD_SPLIT = re.compile(r"[^\W_]+")


_WORD_HASH: dict[str, int] = {}  # word -> its hash, or -1 when not kept (bounded vocabulary)


def _sketch_hashes(text: str) -> list[int]:
    """The four smallest hashes of the words kept (src/db/sketch.rs, word_hashes)."""
    kept = set()
    for m in _WORD_SPLIT.findall(text):
        h = _WORD_HASH.get(m)
        if h is None:
            w = m.lower()
            h = -1 if len(w) < 3 or w in SKETCH_STOP_WORDS else zlib.crc32(w.encode()) >> 11
            _WORD_HASH[m] = h
        if h >= 0:
            kept.add(h)
    return sorted(kept)[:4]


def _triples(h: list[int]) -> list[int]:
    n = len(h)
    return [(h[a] << 42) | (h[b] << 21) | h[c]
            for a in range(n) for b in range(a + 1, n) for c in range(b + 1, n)]


def _pairs(h: list[int]) -> list[int]:
    return [(h[a] << 21) | h[b] for a in range(len(h)) for b in range(a + 1, len(h))]


def statement_sketch(text: str) -> list[int]:
    """What the server stores with a claim (sketch.rs, statement_sketch)."""
    h = _sketch_hashes(text)
    if len(h) <= 1:
        return h
    return _pairs(h) if len(h) == 2 else _triples(h)


def search_sketch(text: str) -> list[int]:
    """What the server looks up for a search text (sketch.rs, search_sketch)."""
    h = _sketch_hashes(text)
    return _triples(h) + _pairs(h) + h if len(h) >= 3 else []


def sketch_literal(text: str) -> str:
    return "{" + ",".join(map(str, statement_sketch(text))) + "}"


def shorten(s: str, limit: int = 120) -> str:
    if len(s) <= limit:
        return s
    cut = s.rfind(" ", 0, limit)
    return s[:cut if cut > 40 else limit].rstrip(" ,")


# ---------------------------------------------------------------------------
# Per-article generation
# ---------------------------------------------------------------------------

class Ctx:
    """Everything a worker needs; plain data so it survives fork."""

    def __init__(self, args, users, now):
        self.seed = args.seed
        self.skip_row_triggers = False
        self.claims = args.claims
        self.articles = args.articles
        self.mode = args.verdict_state
        self.now = now
        self.admin = users["admin"]
        self.editors = users["editors"]
        self.reviewers = users["reviewers"]
        t = Text(random.Random(args.seed * 7919 + 1))
        self.pools = {
            "filler": tuple(t.make_filler() for _ in range(30000)),
            "filler_uk": tuple(t.make_filler_uk() for _ in range(5000)),
            "explanation": tuple(t.make_explanation() for _ in range(8000)),
            "comment": tuple(t.make_comment() for _ in range(4000)),
        }
        check_vocabulary(list(self.pools.values()))


def check_vocabulary(extra=()):
    """gen_article writes CSV without escaping: no text may hold '"' or '\\'."""
    seqs = [v for v in globals().values() if isinstance(v, (tuple, frozenset))]
    for seq in seqs + list(extra):
        for item in seq:
            for x in (item if isinstance(item, tuple) else (item,)):
                if isinstance(x, str) and ('"' in x or "\\" in x):
                    raise AssertionError(f"vocabulary entry needs CSV escaping: {x!r}")


def claim_bound(ctx: Ctx, j: int) -> int:
    """Index of the first claim of article j (article j owns [b(j), b(j+1)))."""
    if j <= 0:
        return 0
    if j >= ctx.articles:
        return ctx.claims
    # Deterministic jitter in [-0.45, 0.45) of the mean spacing, so articles
    # carry a varying number of claims (about 2..38 for 20 on average).
    h = ((j * 2654435761 + ctx.seed * 40503 + 12345) % 1000003) / 1000003
    return int((j + (h * 0.9 - 0.45)) * ctx.claims / ctx.articles)


def gen_article(ctx: Ctx, j: int, ts, w):
    """Generate article j and everything that hangs off it, appending CSV
    lines to the lists in `w` (table -> list).  Returns row counts.

    Lines are built with f-strings rather than csv.writer (3x faster): text
    fields are always quoted and never contain '"' or '\\' (the vocabulary is
    checked at start-up), an unquoted empty field is NULL."""
    rng = random.Random((ctx.seed << 40) + j)
    r = rng.random
    gb = rng.getrandbits
    text = Text(rng, ctx.pools)
    ri, ch = text.ri, text.ch
    now = ctx.now
    editors = ctx.editors
    reviewers = ctx.reviewers
    nrev = len(reviewers)
    mode = ctx.mode

    def uid():
        return "%032x" % ((gb(128) & UUID_MASK) | UUID_BITS)

    limit = now - 60

    def step(prev, lo, hi):
        # prev + a random delay, but never in the future: events that would
        # land after `now` are squeezed between prev and now instead.
        t = prev + ri(lo, hi)
        if t < limit:
            return t
        return prev + int((limit - prev) * r()) if prev < limit else prev

    first, last = claim_bound(ctx, j), claim_bound(ctx, j + 1)
    nclaims = last - first
    uk = r() < 0.12
    article_id = uid()
    if r() < 0.4:
        a_created = now - ri(HOUR, RECENT_DAYS * DAY)
    else:
        a_created = now - ri(RECENT_DAYS * DAY, 730 * DAY)
    a_published = a_created - ri(HOUR, 3 * DAY)
    a_editor = ch(editors)

    # Body: claim sentences interleaved with filler, in paragraphs.
    claims_text = [text.claim_uk() if (uk and r() < 0.85) or (not uk and r() < 0.04)
                   else text.claim() for _ in range(nclaims)]
    nfill = 3 + nclaims // 2 + ri(0, 4)
    order = [True] * nclaims + [False] * nfill
    rng.shuffle(order)
    if order[0]:  # the lede is context, not a claim
        k = order.index(False)
        order[0], order[k] = False, True
    parts = []
    pos = 0
    para_left = ri(2, 4)
    ci = 0
    spans = []
    for idx, is_claim in enumerate(order):
        if idx:
            if para_left == 0:
                parts.append("\n\n")
                pos += 2
                para_left = ri(1, 4)
            else:
                parts.append(" ")
                pos += 1
        para_left -= 1
        if is_claim:
            sent, qs, qe, stmt, claimant = claims_text[ci]
            ci += 1
            # Python str indices are code points, as span_start/end require.
            spans.append((pos + qs, pos + qe, sent[qs:qe], stmt, claimant))
        else:
            sent = text.filler_uk() if (uk and r() < 0.85) else text.filler()
        parts.append(sent)
        pos += len(sent)
    body = "".join(parts)

    lead_stmt = spans[0][3] if spans else text.filler()
    if uk:
        title = shorten(f"{ch(PEOPLE_UK)[0]}: {lead_stmt[0].lower()}{lead_stmt[1:]}", 110)
    else:
        t = ri(0, 2)
        if t == 0:
            title = shorten(f"{ch(PEOPLE_ANY)} says {lead_stmt[0].lower()}{lead_stmt[1:]}", 110)
        elif t == 1:
            title = shorten(f"{lead_stmt}, {ch(INSTITUTIONS_EN)} says", 110)
        else:
            title = shorten(f"What we know about {ch(METRICS_EN)} in {ch(COUNTRIES_EN)}", 110)
    outlet, host = ch(OUTLETS)
    a_pub_s = ts(a_published)
    a_created_s = ts(a_created)
    url = f"https://{host}/news/{a_pub_s[:4]}/{slugify(title, 'article')}-{j}"
    author = ch(PEOPLE_UK)[0] if uk else ch(PEOPLE_ANY)
    w["articles"].append(
        f'{article_id},"{title}","{url}","{outlet}","{author}",{a_pub_s},'
        f'"{"uk" if uk else "en"}","{body}",{a_editor},{a_created_s},{a_created_s}\n')

    n_assign = n_src = n_verd = n_com = 0
    published = []  # (claim_id, verdict_id, approved_at)
    wc, wa, ws, wv, wm = (w["claims"].append, w["assignments"].append, w["sources"].append,
                          w["verdicts"].append, w["comments"].append)
    for qs, qe, quote, stmt, claimant in spans:
        claim_id = uid()
        c_created = min(a_created + ri(60, 6 * HOUR), now - 120)
        if mode == "mixed":
            age = (now - c_created) / DAY
            recent = age < RECENT_DAYS
            if r() < (0.95 * math.exp(-age / 12) if recent else 0.01):
                status = pick_cum(OPEN_STATUSES, OPEN_CUM, r())
            else:
                status = pick_cum(CLOSED_STATUSES, CLOSED_RECENT_CUM if recent else CLOSED_OLD_CUM, r())
        else:
            status = MODE_STATUS[mode]
        creator = a_editor if r() < 0.8 else (ctx.admin if r() < 0.1 else ch(editors))
        priority = pick_cum(PRIORITIES, PRIORITY_CUM, r())
        claimed_at = ts(a_published - ri(0, 2 * DAY)) if r() < 0.9 else ""
        updated = c_created
        version = 1

        src_by = (creator,)
        if status != "draft":
            # One or two distinct reviewers.
            i1 = ri(0, nrev - 1)
            revs = (reviewers[i1],)
            if nrev > 1 and r() < 0.3:
                i2 = ri(0, nrev - 2)
                revs = (reviewers[i1], reviewers[i2 + 1 if i2 >= i1 else i2])
            assigner = ch(editors)
            t = c_created
            for rev in revs:
                t = step(t, 600, 2 * DAY)
                due = t + ri(3 * DAY, 14 * DAY)
                note = ch(NOTES_EN) if r() < 0.3 else ""
                wa(f'{uid()},{claim_id},{rev},{assigner},{ts(t)},{ts(due)},"{note}",{status}\n')
                n_assign += 1
            assigned_at = t
            updated = assigned_at
            version += 1
            src_by = revs
            author = revs[0]

            v_created = step(assigned_at, HOUR, 2 * DAY)
            if status == "in_review" or status == "dropped":
                # The shared draft: often still without rating or text.
                rating = ch(RATING_KEYS) if r() < 0.5 else ""
                summary = text.summary() if r() < 0.4 else ""
                expl = text.explanation() if r() < 0.5 else ""
                v_updated = step(v_created, 0, 3 * DAY)
                wv(f'{uid()},{claim_id},{rating},"{summary}","{expl}",{author},draft,,,,'
                   f'{ts(v_created)},{ts(v_updated)},{ri(1, 6)}\n')
                n_verd += 1
                updated = v_updated
                version += 1
            elif status != "assigned":  # submitted, approved, published
                rating = pick_cum(RATING_KEYS, RATING_CUM, r())
                summary = text.summary()
                expl = text.explanation()
                submitted = step(v_created, HOUR, 4 * DAY)
                verdict_id = uid()
                if status == "submitted":
                    wv(f'{verdict_id},{claim_id},{rating},"{summary}","{expl}",{author},'
                       f'submitted,{ts(submitted)},,,{ts(v_created)},{ts(submitted)},{ri(2, 8)}\n')
                    updated = submitted
                else:
                    approved = step(submitted, HOUR, 3 * DAY)
                    approved_s = ts(approved)
                    wv(f'{verdict_id},{claim_id},{rating},"{summary}","{expl}",{author},'
                       f'approved,{ts(submitted)},{ch(editors)},{approved_s},{ts(v_created)},'
                       f'{approved_s},{ri(2, 8)}\n')
                    updated = approved
                    if status == "published":
                        published.append((claim_id, verdict_id, approved))
                n_verd += 1
                version += 2
            if status == "dropped":
                updated = step(updated, HOUR, 5 * DAY)
                version += 1
            # Discussion on claims somebody has worked on.
            if status != "assigned":
                for _ in range(ri(0, 2)):
                    who = ch(revs) if r() < 0.7 else ch(editors)
                    wm(f'{uid()},{claim_id},{who},"{text.comment()}",'
                       f'{ts(step(assigned_at, HOUR, 4 * DAY))}\n')
                    n_com += 1

        # One to three sources.
        for _ in range(ri(1, 3)):
            host, publisher = ch(SOURCE_HOSTS)
            s_url = f"https://{host}/{ch(SOURCE_PATHS)}/{ri(2015, 2025)}/{gb(32):08x}"
            s_created = ts(step(c_created, 600, 3 * DAY))
            archive = (f'"https://web.archive.example/web/{s_created[:4]}{s_created[5:7]}'
                       f'{s_created[8:10]}000000/{s_url}"' if r() < 0.4 else "")
            excerpt = text.filler() if r() < 0.7 else ""
            ws(f'{uid()},{claim_id},"{s_url}","{publisher}: {_cap(ch(METRICS_EN))} statistics, {ri(2010, 2025)}",'
               f'"{publisher}",{pick_cum(SOURCE_KINDS, KIND_CUM, r())},'
               f'{pick_cum(SOURCE_STANCES, STANCE_CUM, r())},"{excerpt}",{archive},{s_created},'
               f'{ch(src_by)},{s_created},{s_created}\n')
            n_src += 1

        claimant = f'"{claimant}"' if claimant else ""
        stmt = shorten(stmt)
        wc(f'{claim_id},{article_id},"{quote}",{qs},{qe},"{stmt}",{claimant},'
           f'{claimed_at},{status},{priority},{"t" if status == "published" else "f"},'
           f'{creator},{ts(c_created)},{ts(updated)},{version},"{sketch_literal(stmt)}"\n')

    n_pub = 0
    if published:
        pub_id = uid()
        p_at = ts(step(max(a for _, _, a in published), 600, DAY))
        w["publications"].append(
            f'{pub_id},{article_id},{slugify(title, "fact-check")}-{j},"Fact check: {title}",'
            f'"{text.summary()}",1,{ch(editors)},{p_at},{p_at},{p_at}\n')
        wp = w["publication_verdicts"].append
        for cid, vid, _ in published:
            wp(f"{pub_id},1,{cid},{vid}\n")
        n_pub = 1
    return (1, nclaims, n_assign, n_src, n_verd, n_com, n_pub, len(published))


# ---------------------------------------------------------------------------
# psql helpers
# ---------------------------------------------------------------------------

PSQL = ["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1"]


def psql_query(url: str, sql: str):
    """Run one query; return rows as lists of strings (\x1f-separated)."""
    out = subprocess.run(PSQL + [url, "-A", "-t", "-F", "\x1f", "-c", sql],
                         check=True, capture_output=True, text=True)
    return [line.split("\x1f") for line in out.stdout.splitlines() if line]


def psql_script(url: str, sql: str, single_transaction=True):
    args = PSQL + [url] + (["-1"] if single_transaction else []) + ["-f", "-"]
    subprocess.run(args, input=sql, check=True, text=True)


def qi(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def secondary_indexes(url: str, tables):
    """Non-unique, non-primary, non-constraint indexes of `tables`, read from
    pg_indexes (so the script follows the migrations)."""
    names = ",".join("'" + t + "'" for t in tables)
    rows = psql_query(url, f"""
        SELECT i.tablename, i.indexname, i.indexdef
        FROM pg_indexes i
        JOIN pg_class c ON c.relname = i.indexname
        JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = i.schemaname
        JOIN pg_index x ON x.indexrelid = c.oid
        WHERE i.schemaname = current_schema() AND i.tablename IN ({names})
          AND NOT x.indisunique AND NOT x.indisprimary
          AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = c.oid)
        ORDER BY i.tablename, i.indexname""")
    return [(t, n, d) for t, n, d in rows]


def foreign_keys(url: str, tables):
    names = ",".join("'" + t + "'" for t in tables)
    rows = psql_query(url, f"""
        SELECT c.relname, k.conname, pg_get_constraintdef(k.oid)
        FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid
        JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE k.contype = 'f' AND n.nspname = current_schema() AND c.relname IN ({names})
        ORDER BY c.relname, k.conname""")
    return [(t, n, d) for t, n, d in rows]


def build_indexes(url: str, indexes, jobs: int, mem: str):
    """CREATE the given indexes over `jobs` psql sessions, biggest first."""
    if not indexes:
        return
    # GIN (tsvector) builds are the slowest: start them first.
    ordered = sorted(indexes, key=lambda x: (" gin " not in x[2].lower(), x[0] not in ("claims", "sources"), x[1]))
    buckets = [[] for _ in range(max(1, min(jobs, len(ordered))))]
    for i, ix in enumerate(ordered):
        buckets[i % len(buckets)].append(ix)
    procs = []
    for b in buckets:
        sql = f"SET maintenance_work_mem = '{mem}';\n" + "".join(d + ";\n" for _, _, d in b)
        p = subprocess.Popen(PSQL + [url, "-f", "-"], stdin=subprocess.PIPE, text=True)
        p.stdin.write(sql)
        p.stdin.close()
        procs.append(p)
    bad = [p.wait() for p in procs]
    if any(bad):
        raise RuntimeError("index build failed")


# ---------------------------------------------------------------------------
# Workers
# ---------------------------------------------------------------------------

class Chunk:
    def __init__(self):
        self.w = {t: [] for t in CHUNK_TABLES}

    def emit(self, out):
        for t in CHUNK_TABLES:
            lines = self.w[t]
            if lines:
                out.write((COPY_SQL[t] + "".join(lines) + "\\.\n").encode())


COPY_SQL = {t: copy_sql(t) for t in TABLES}


def worker(ctx: Ctx, url: str, job: int, jobs: int, chunk_articles: int, q):
    """Generate chunks job, job+jobs, ... and stream them into one psql
    session (one transaction).  Reports progress and counts on q."""
    totals = {t: 0 for t in CHUNK_TABLES}
    ts = TS()
    p = subprocess.Popen(PSQL + [url, "-1", "-f", "-"], stdin=subprocess.PIPE)
    try:
        out = p.stdin
        out.write(b"SET synchronous_commit = off;\n")
        if ctx.skip_row_triggers:
            # The rows carry what the triggers would fill in (assignments.claim_status),
            # and the foreign keys are dropped: skip the per-row trigger calls.
            out.write(b"SET session_replication_role = replica;\n")
        nchunks = (ctx.articles + chunk_articles - 1) // chunk_articles
        for c in range(job, nchunks, jobs):
            chunk = Chunk()
            done = {t: 0 for t in CHUNK_TABLES}
            for j in range(c * chunk_articles, min(ctx.articles, (c + 1) * chunk_articles)):
                for t, n in zip(CHUNK_TABLES, gen_article(ctx, j, ts, chunk.w)):
                    done[t] += n
            chunk.emit(out)
            for t in CHUNK_TABLES:
                totals[t] += done[t]
            q.put(("progress", job, done))
        out.close()
    except BrokenPipeError:
        pass
    except BaseException as e:  # report, then make psql roll back
        q.cancel_join_thread()
        q.put(("error", job, repr(e)))
        p.kill()
        p.wait()
        return
    rc = p.wait()
    if rc != 0:
        q.put(("error", job, f"psql exited with {rc}"))
    else:
        q.put(("done", job, totals))


# ---------------------------------------------------------------------------
# Main
# ---------------------------------------------------------------------------

def make_users(args, now, ts):
    rng = random.Random(args.seed)
    gb = rng.getrandbits

    def uid():
        return "%032x" % ((gb(128) & UUID_MASK) | UUID_BITS)

    rows = []
    created = now - 800 * DAY
    admin = uid()
    rows.append((admin, "admin@bench.factdesk.test", "Bench Admin", "admin"))
    editors, reviewers = [], []
    names = PEOPLE_EN + tuple(p for p, _ in PEOPLE_UK)
    for i in range(1, args.editors + 1):
        u = uid()
        editors.append(u)
        rows.append((u, f"editor{i:02d}@bench.factdesk.test",
                     f"{rng.choice(names)} (editor {i})", "editor"))
    for i in range(1, args.reviewers + 1):
        u = uid()
        reviewers.append(u)
        rows.append((u, f"reviewer{i:04d}@bench.factdesk.test",
                     f"{rng.choice(names)} ({i})", "reviewer"))
    buf = io.StringIO()
    wr = csv.writer(buf, quoting=csv.QUOTE_NONNUMERIC, lineterminator="\n")
    for u, email, name, role in rows:
        c = created + rng.randint(0, 60 * DAY)
        last = now - rng.randint(0, 30 * DAY) if rng.random() < 0.8 else None
        wr.writerow((u, email, name, role, args.password_hash, "t",
                     rng.choice(TIME_ZONES), ts(c), ts(c), ts(last) if last else None))
    return {"admin": admin, "editors": editors or [admin], "reviewers": reviewers,
            "csv": buf.getvalue(), "count": len(rows)}


def truncate_bench_data(url, log):
    """TRUNCATE the loaded tables (and, by CASCADE, corrections and
    error_reports, which reference them) and delete the bench users.
    corrections is append-only (a TRUNCATE trigger refuses), so this only
    proceeds when it is empty, disabling its triggers inside the transaction."""
    n = int(psql_query(url, "SELECT count(*) FROM corrections")[0][0])
    if n:
        sys.exit(f"--truncate: corrections holds {n} rows (an append-only log); "
                 "use a fresh database instead")
    log("truncating earlier data ...")
    psql_script(url, "ALTER TABLE corrections DISABLE TRIGGER USER;\n"
                "TRUNCATE " + ", ".join(reversed(CHUNK_TABLES)) + " CASCADE;\n"
                "ALTER TABLE corrections ENABLE TRIGGER USER;\n"
                "DELETE FROM users WHERE lower(email) LIKE '%@bench.factdesk.test';\n")


def parse_args(argv=None):
    ap = argparse.ArgumentParser(
        description="Seed a Factdesk database with synthetic benchmark data.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="""\
what is created (claims mode `mixed`):
  users         1 admin (admin@bench.factdesk.test), E editors
                (editorNN@...), R reviewers (reviewerNNNN@...), all active,
                password_hash = --password-hash (NULL if not given)
  articles      A articles with bodies of filler + claim sentences
                (12% mostly Ukrainian, language 'uk'); claims per article vary
  claims        N claims; quote is an exact substring of the article body at
                [span_start, span_end) (Unicode code points); statement <= 120
  assignments   1 or 2 distinct reviewers per non-draft claim; due dates
                spread from past to future, so open claims include overdue ones
  sources       1 to 3 per claim (https URLs, 40% with an archive_url)
  verdicts      at most 1 per claim, matching the claim's status
  comments      0 to 2 on claims somebody has worked on
  publications  1 per article that has published claims, with a
  publication_verdicts  row per published claim (its approved verdict)

--verdict-state (claim status -> verdict):
  mixed      (default) recent claims mostly in the workflow, older ones mostly
             published: draft (no assignment, no verdict), assigned (no verdict
             yet: nobody started), in_review (draft verdict, rating often NULL),
             submitted (submitted verdict), approved (approved verdict),
             published (approved verdict, ever_published, in a publication),
             dropped (draft verdict left behind)
  approved   every claim 'approved' with an approved verdict (export benchmarks)
  published  every claim 'published' with an approved verdict and publication
  submitted  every claim 'submitted' with a submitted verdict
  draft      every claim 'in_review' with a draft verdict

Times are relative to --now (default: today 00:00 UTC), so a seed gives the
same data all day.  The database must be migrated and hold no bench data
(use --truncate to clear it).  Secondary indexes of the loaded tables are
dropped for the load and rebuilt from their pg_indexes definitions after it.
""")
    ap.add_argument("--database-url", required=True,
                    help="postgres URL, passed as-is to psql")
    ap.add_argument("--claims", type=int, default=100_000, help="default 100000")
    ap.add_argument("--articles", type=int, help="default: claims / 20")
    ap.add_argument("--reviewers", type=int, default=200, help="default 200")
    ap.add_argument("--editors", type=int, default=10, help="default 10")
    ap.add_argument("--seed", type=int, default=42,
                    help="default 42; the same seed (and --now) gives the same "
                         "rows, whatever --jobs")
    ap.add_argument("--password-hash", help="PHC string stored for every user")
    ap.add_argument("--verdict-state", default="mixed",
                    choices=("mixed", "approved", "published", "submitted", "draft"))
    ap.add_argument("--now", help="reference time, ISO 8601 (default: today 00:00 UTC)")
    ap.add_argument("--jobs", type=int, default=2,
                    help="parallel (generator process + psql session) pairs, "
                         "each loading every JOBS-th chunk of articles in one "
                         "transaction (default 2)")
    ap.add_argument("--index-jobs", type=int, default=2,
                    help="parallel psql sessions for the index rebuild (default 2)")
    ap.add_argument("--maintenance-work-mem", default="512MB",
                    help="for the index build sessions (default 512MB)")
    ap.add_argument("--keep-foreign-keys", action="store_true",
                    help="load with the foreign keys in place (checked row by "
                         "row: about 1.7x slower).  By default they are dropped "
                         "before the load and re-added after it, which "
                         "validates every row in one pass")
    ap.add_argument("--truncate", action="store_true",
                    help="first delete earlier data: TRUNCATE the loaded tables "
                         "(CASCADE: also error_reports; refused unless the "
                         "append-only corrections table is empty) and delete the "
                         "@bench.factdesk.test users")
    ap.add_argument("--vacuum", action="store_true",
                    help="VACUUM (FREEZE, ANALYZE) instead of ANALYZE at the end")
    ap.add_argument("--check", action="store_true",
                    help="run consistency checks (spans, counts) at the end")
    args = ap.parse_args(argv)
    if args.claims < 1:
        ap.error("--claims must be >= 1")
    if args.articles is None:
        args.articles = max(1, args.claims // 20)
    if args.articles < 1 or args.reviewers < 1 or args.editors < 0 or args.seed < 0:
        ap.error("--articles and --reviewers must be >= 1, --editors and --seed >= 0")
    if args.jobs < 1:
        ap.error("--jobs must be >= 1")
    return args


def follow_workers(procs, q, loaded, args, t_load, log) -> bool:
    """Collect progress until every worker is done; True if one failed."""
    pending = set(range(len(procs)))
    last_log = time.monotonic()
    while pending:
        try:
            kind, job, payload = q.get(timeout=1)
        except queue.Empty:
            dead = [k for k in pending if not procs[k].is_alive() and procs[k].exitcode != 0]
            if dead:
                log(f"worker(s) {dead} died")
                return True
            continue
        if kind == "progress":
            for t, n in payload.items():
                loaded[t] += n
            if time.monotonic() - last_log > 10:
                last_log = time.monotonic()
                log(f"  {loaded['claims']:,}/{args.claims:,} claims, {sum(loaded.values()):,} rows, "
                    f"{last_log - t_load:.0f} s (sent; committed when each job ends)")
        elif kind == "done":
            pending.discard(job)
        else:
            log(f"worker {job} failed: {payload}")
            return True
    return False


def main(argv=None):
    args = parse_args(argv)
    url = args.database_url
    if args.now:
        n = dt.datetime.fromisoformat(args.now)
        if n.tzinfo is None:
            n = n.replace(tzinfo=dt.timezone.utc)
    else:
        n = dt.datetime.now(dt.timezone.utc).replace(hour=0, minute=0, second=0, microsecond=0)
    now = int(n.timestamp())
    ts = TS()
    log = lambda *a: print(*a, file=sys.stderr, flush=True)  # noqa: E731
    # Turn SIGTERM into SystemExit so the `finally` below restores the schema
    # (workers inherit it: they then kill their psql, which rolls back).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))

    t_start = time.monotonic()
    # --- preflight -------------------------------------------------------
    keys = {r[0] for r in psql_query(url, "SELECT key FROM rating_scale")}
    missing = set(RATING_KEYS) - keys
    if missing:
        sys.exit(f"rating_scale lacks {sorted(missing)}: run the migrations first")
    if args.truncate:
        truncate_bench_data(url, log)
    existing = psql_query(url, "SELECT count(*) FROM users WHERE lower(email) LIKE '%@bench.factdesk.test'")
    if int(existing[0][0]):
        sys.exit("this database already holds bench users: use --truncate, or a fresh database")

    users = make_users(args, now, ts)
    ctx = Ctx(args, users, now)
    # A superuser may skip the row triggers while loading (only when the foreign keys,
    # which are triggers too, are dropped and re-validated afterwards).
    ctx.skip_row_triggers = (not args.keep_foreign_keys and
                             psql_query(url, "SELECT rolsuper FROM pg_roles WHERE rolname = current_user") == [["t"]])
    chunk_articles = max(1, min(args.articles, round(5000 * args.articles / args.claims)))

    # --- drop secondary indexes (and maybe foreign keys) --------------------
    indexes = secondary_indexes(url, BIG_TABLES)
    fks = [] if args.keep_foreign_keys else foreign_keys(url, CHUNK_TABLES)
    log(f"dropping {len(indexes)} secondary indexes: " + ", ".join(n for _, n, _ in indexes))
    for t, n, d in indexes:
        log(f"  (to restore by hand: {d};)")
    if fks:
        log(f"dropping {len(fks)} foreign keys: " + ", ".join(n for _, n, _ in fks))
    for t, n, d in fks:
        log(f"  (to restore by hand: ALTER TABLE {qi(t)} ADD CONSTRAINT {qi(n)} {d};)")
    psql_script(url, "".join(f"DROP INDEX {qi(n)};\n" for _, n, _ in indexes)
                + "".join(f"ALTER TABLE {qi(t)} DROP CONSTRAINT {qi(n)};\n" for t, n, _ in fks))
    n_fks = len(fks)
    restored = False
    counts = {"users": users["count"]}
    try:
        # --- load ---------------------------------------------------------
        t_load = time.monotonic()
        prep_s = t_load - t_start
        cols, force_null = TABLES["users"]
        subprocess.run(PSQL + [url, "-c", f"\\copy users ({', '.join(cols)}) from stdin "
                                          f"with (format csv, force_null ({', '.join(force_null)}))"],
                       input=users["csv"].encode(), check=True)
        log(f"loading {args.claims:,} claims in {args.articles:,} articles "
            f"({args.jobs} job(s), chunks of {chunk_articles} articles) ...")
        ctxm = mp.get_context("fork")
        q = ctxm.Queue()
        procs = [ctxm.Process(target=worker, args=(ctx, url, k, args.jobs, chunk_articles, q))
                 for k in range(args.jobs)]
        for p in procs:
            p.start()
        loaded = {t: 0 for t in CHUNK_TABLES}
        try:
            failed = follow_workers(procs, q, loaded, args, t_load, log)
        except BaseException:
            failed = True
            raise
        finally:
            if failed:  # stop the others: killing their psql rolls them back
                for p in procs:
                    if p.is_alive():
                        p.terminate()
            for p in procs:
                p.join()
        if failed:
            raise SystemExit(1)
        counts.update(loaded)
        load_s = time.monotonic() - t_load

        # --- rebuild ------------------------------------------------------
        t_idx = time.monotonic()
        log(f"building {len(indexes)} indexes ...")
        build_indexes(url, indexes, args.index_jobs, args.maintenance_work_mem)
        idx_s = time.monotonic() - t_idx
        restored = True
        fk_s = 0.0
        if fks:
            t_fk = time.monotonic()
            log(f"re-adding {len(fks)} foreign keys (validating) ...")
            psql_script(url, "".join(f"ALTER TABLE {qi(t)} ADD CONSTRAINT {qi(n)} {d};\n" for t, n, d in fks))
            fk_s = time.monotonic() - t_fk
            fks = []
        t_an = time.monotonic()
        log("vacuum analyze ..." if args.vacuum else "analyze ...")
        tables = ", ".join(REPORT_TABLES)
        psql_script(url, (f"VACUUM (FREEZE, ANALYZE) {tables};\n" if args.vacuum
                          else f"ANALYZE {tables};\n"), single_transaction=False)
        an_s = time.monotonic() - t_an
    finally:
        if not restored and indexes:
            log("restoring the dropped indexes ...")
            try:
                build_indexes(url, indexes, args.index_jobs, args.maintenance_work_mem)
            except Exception as e:  # keep the original error visible
                log(f"could not restore indexes ({e}); recreate them with the statements above")
        if fks:
            log("restoring the dropped foreign keys ...")
            try:
                psql_script(url, "".join(f"ALTER TABLE {qi(t)} ADD CONSTRAINT {qi(n)} {d};\n" for t, n, d in fks))
            except Exception as e:
                log(f"could not restore foreign keys ({e})")

    total_s = time.monotonic() - t_start
    total = sum(counts.values())
    print(f"\nFactdesk bench data: seed {args.seed}, --verdict-state {args.verdict_state}, "
          f"{args.jobs} job(s), now = {ts(now)}")
    print("rows per table:")
    for t in REPORT_TABLES:
        print(f"  {t:<22} {counts.get(t, 0):>12,}")
    print(f"  {'total':<22} {total:>12,}")
    print("timings:")
    print(f"  {'prepare':<22} {prep_s:8.1f} s   (checks, vocabulary, dropping "
          f"{len(indexes)} indexes{'' if args.keep_foreign_keys else ' and ' + str(n_fks) + ' foreign keys'})")
    print(f"  {'load (generate+COPY)':<22} {load_s:8.1f} s   {total / load_s:>10,.0f} rows/s")
    print(f"  {'index build':<22} {idx_s:8.1f} s   ({len(indexes)} indexes)")
    if not args.keep_foreign_keys:
        print(f"  {'foreign keys re-added':<22} {fk_s:8.1f} s   ({n_fks}, each validated)")
    print(f"  {'vacuum analyze' if args.vacuum else 'analyze':<22} {an_s:8.1f} s")
    print(f"  {'total elapsed':<22} {total_s:8.1f} s   {total / total_s:>10,.0f} rows/s")
    sys.stdout.flush()

    if args.check:
        run_checks(url, args, counts)


def run_checks(url, args, counts):
    checks = [
        ("quote is the body substring at its span",
         "SELECT count(*) FROM claims c JOIN articles a ON a.id = c.article_id "
         "WHERE substr(a.body, c.span_start + 1, c.span_end - c.span_start) <> c.quote", 0),
        ("statement longer than 120",
         "SELECT count(*) FROM claims WHERE char_length(statement) > 120", 0),
        ("assignments whose claim_status is not their claim's status",
         "SELECT count(*) FROM assignments a JOIN claims c ON c.id = a.claim_id "
         "WHERE a.claim_status <> c.status", 0),
        ("claims whose statement sketch is not the server's (empty)",
         "SELECT count(*) FROM claims WHERE statement_sketch = '{}' "
         "AND statement ~ '[[:alnum:]]{3}'", 0),
        ("non-draft claims without assignment",
         "SELECT count(*) FROM claims c WHERE status <> 'draft' AND NOT EXISTS "
         "(SELECT 1 FROM assignments a WHERE a.claim_id = c.id)", 0),
        ("draft claims with an assignment",
         "SELECT count(*) FROM claims c WHERE status = 'draft' AND EXISTS "
         "(SELECT 1 FROM assignments a WHERE a.claim_id = c.id)", 0),
        ("claims without a source",
         "SELECT count(*) FROM claims c WHERE NOT EXISTS "
         "(SELECT 1 FROM sources s WHERE s.claim_id = c.id)", 0),
        ("approved/published claims without an approved verdict",
         "SELECT count(*) FROM claims c WHERE status IN ('approved','published') AND NOT EXISTS "
         "(SELECT 1 FROM verdicts v WHERE v.claim_id = c.id AND v.state = 'approved')", 0),
        ("published claims not in a publication",
         "SELECT count(*) FROM claims c WHERE status = 'published' AND NOT EXISTS "
         "(SELECT 1 FROM publication_verdicts p WHERE p.claim_id = c.id)", 0),
        ("ever_published mismatch",
         "SELECT count(*) FROM claims WHERE ever_published <> (status = 'published')", 0),
        ("verdict author not assigned to the claim",
         "SELECT count(*) FROM verdicts v WHERE NOT EXISTS (SELECT 1 FROM assignments a "
         "WHERE a.claim_id = v.claim_id AND a.reviewer_id = v.author_id)", 0),
        ("claims rows", "SELECT count(*) FROM claims", counts["claims"]),
        ("sources rows", "SELECT count(*) FROM sources", counts["sources"]),
        ("assignments rows", "SELECT count(*) FROM assignments", counts["assignments"]),
        ("verdicts rows", "SELECT count(*) FROM verdicts", counts["verdicts"]),
    ]
    bad = 0
    print("\nchecks:")
    for name, sql, want in checks:
        got = int(psql_query(url, sql)[0][0])
        ok = got == want
        bad += not ok
        print(f"  [{'ok' if ok else 'FAIL'}] {name}: {got}" + ("" if ok else f" (want {want})"))
    info = psql_query(url, "SELECT status, count(*) FROM claims GROUP BY 1 ORDER BY 2 DESC")
    print("  claim statuses: " + ", ".join(f"{s} {int(n):,}" for s, n in info))
    od = psql_query(url, "SELECT count(*) FILTER (WHERE a.due_at < now()), count(*) FROM assignments a "
                         "JOIN claims c ON c.id = a.claim_id WHERE c.status IN ('assigned','in_review')")
    print(f"  assignments of assigned/in_review claims: {int(od[0][1]):,}, "
          f"overdue now: {int(od[0][0]):,}")
    if bad:
        sys.exit(f"{bad} check(s) failed")


if __name__ == "__main__":
    main()
