// TEMPORARY: replaced by the real screen.
export default function NewArticlePage() {
  return <h1>NewArticlePage</h1>;
}
