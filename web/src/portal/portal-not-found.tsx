import { Link } from "react-router";
import { EmptyState } from "../shared/empty-state.js";

export function PortalNotFound() {
  return (
    <EmptyState
      title="Page not found"
      action={
        <Link className="btn btn-primary" to="/portal">
          Back to my programs
        </Link>
      }
    >
      There is nothing at this address in the partner portal.
    </EmptyState>
  );
}
