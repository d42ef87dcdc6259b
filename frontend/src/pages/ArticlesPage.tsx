// TEMPORARY: replaced by the real screen.
export default function ArticlesPage() {
  return <h1>ArticlesPage</h1>;
}
