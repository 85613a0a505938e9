import { unshownErrors } from "./form-errors.js";
import { AlertIcon } from "./icons.js";

/** The error banner at the top of a form for what the inputs themselves cannot show. */
export function FormAlert({
  error,
  shown = [],
  labels,
}: {
  error: unknown;
  shown?: readonly string[];
  /** Words for the fields the alert may have to name (those not drawn at the moment), by JSON pointer. */
  labels?: Readonly<Record<string, string>>;
}) {
  const messages = unshownErrors(error, shown, labels);
  if (messages.length === 0) return null;
  return (
    <div className="alert alert-error" role="alert">
      <AlertIcon size={18} />
      <div>
        {messages.length === 1 ? (
          <p>{messages[0]}</p>
        ) : (
          <ul>
            {messages.map((message) => (
              <li key={message}>{message}</li>
            ))}
          </ul>
        )}
      </div>
    </div>
  );
}
