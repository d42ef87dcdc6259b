// TEMPORARY: replaced by the real screen.
export default function ClaimsPage() {
  return <h1>ClaimsPage</h1>;
}
