import { isApiError } from "./api.js";
import { Button } from "./button.js";
import { AlertIcon } from "./icons.js";

/** A failed load, with the server's explanation and a retry. */
export function QueryError({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const notFound = isApiError(error) && error.status === 404;
  const forbidden = isApiError(error) && error.status === 403;
  const message = error instanceof Error ? error.message : "Something went wrong.";
  return (
    <div className="query-error" role="alert">
      <AlertIcon size={22} />
      <div>
        <h3>{notFound ? "Not found" : forbidden ? "You don't have access to this" : "This could not be loaded"}</h3>
        <p>{message}</p>
      </div>
      {onRetry && !notFound && !forbidden && (
        <Button size="sm" onClick={onRetry}>
          Try again
        </Button>
      )}
    </div>
  );
}
