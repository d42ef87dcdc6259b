// TEMPORARY: replaced by the real screen.
export default function ExportsPage() {
  return <h1>ExportsPage</h1>;
}
