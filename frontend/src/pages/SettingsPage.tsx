// TEMPORARY: replaced by the real screen.
export default function SettingsPage() {
  return <h1>SettingsPage</h1>;
}
