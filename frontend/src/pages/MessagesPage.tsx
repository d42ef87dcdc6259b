// TEMPORARY: replaced by the real screen.
export default function MessagesPage() {
  return <h1>MessagesPage</h1>;
}
