// TEMPORARY: replaced by the real screen.
export default function UsersPage() {
  return <h1>UsersPage</h1>;
}
