import { Link } from "react-router";
import { AuthLayout } from "./auth-layout.js";

export function NotFoundPage() {
  return (
    <AuthLayout title="Page not found" subtitle="The address may be mistyped, or the page has moved.">
      <div className="stack-sm">
        <Link className="btn btn-primary btn-block" to="/admin">
          Go to the console
        </Link>
        <Link className="btn btn-secondary btn-block" to="/portal">
          Go to the partner portal
        </Link>
      </div>
    </AuthLayout>
  );
}
