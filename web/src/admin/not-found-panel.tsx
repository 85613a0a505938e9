import { Link } from "react-router";
import { EmptyState } from "../shared/empty-state.js";

export function NotFoundPanel() {
  return (
    <div className="page">
      <EmptyState
        title="Page not found"
        action={
          <Link className="btn btn-primary" to="/admin/programs">
            Back to programs
          </Link>
        }
      >
        There is nothing at this address in the console.
      </EmptyState>
    </div>
  );
}
