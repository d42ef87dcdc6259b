// TEMPORARY: replaced by the real screen.
export default function PublishPage() {
  return <h1>PublishPage</h1>;
}
