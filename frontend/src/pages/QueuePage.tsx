// TEMPORARY: replaced by the real screen.
export default function QueuePage() {
  return <h1>QueuePage</h1>;
}
