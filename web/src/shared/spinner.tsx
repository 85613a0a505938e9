export function Spinner({ size = 18, label }: { size?: number; label?: string }) {
  const circle = <span className="spinner" style={{ width: size, height: size }} aria-hidden="true" />;
  if (!label) return circle;
  return (
    <span role="status">
      {circle}
      <span className="visually-hidden">{label}</span>
    </span>
  );
}
