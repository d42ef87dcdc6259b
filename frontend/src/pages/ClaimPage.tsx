// TEMPORARY: replaced by the real screen.
export default function ClaimPage() {
  return <h1>ClaimPage</h1>;
}
