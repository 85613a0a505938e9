import { useMutation } from "@tanstack/react-query";
import { type FormEvent, useRef, useState } from "react";
import { Button } from "./button.js";
import { CheckboxField } from "./checkbox-field.js";
import { FormAlert } from "./form-alert.js";
import { fieldErrors } from "./form-errors.js";
import { Modal } from "./modal.js";
import { TextField } from "./text-field.js";
import type { TrackingLink } from "./types.js";
import { useFocusFirstError } from "./use-focus-first-error.js";
import { withScheme } from "./web-address.js";

/**
 * Where a link sends visitors. A default link may follow the program's landing page (destination null); a custom
 * link always has its own.
 */
export function LinkDestinationDialog({
  link,
  save,
  onSaved,
  onClose,
}: {
  link: TrackingLink;
  save: (destinationUrl: string | null) => Promise<TrackingLink>;
  onSaved: (link: TrackingLink) => void;
  onClose: () => void;
}) {
  const [followDefault, setFollowDefault] = useState(link.isDefault && link.destinationUrl === null);
  const [destination, setDestination] = useState(link.destinationUrl ?? "");
  const formRef = useRef<HTMLFormElement>(null);
  const mutation = useMutation({
    mutationFn: () => save(followDefault ? null : withScheme(destination)),
    onSuccess: onSaved,
  });
  useFocusFirstError(formRef, mutation.error);
  const errors = fieldErrors(mutation.error);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    mutation.mutate();
  };
  return (
    <Modal open onClose={onClose} title="Change destination" description={`Where /r/${link.slug} sends visitors.`}>
      <form ref={formRef} className="stack" onSubmit={submit} noValidate>
        <FormAlert error={mutation.error} shown={["/destinationUrl"]} />
        {link.isDefault && (
          <CheckboxField
            label="Follow the program's landing page"
            description="The link changes with the program's default landing page."
            checked={followDefault}
            onChange={setFollowDefault}
          />
        )}
        {!followDefault && (
          <TextField
            label="Destination"
            type="url"
            value={destination}
            onChange={setDestination}
            placeholder="https://"
            hint="Must be a page on the program's allowed domains."
            error={errors["/destinationUrl"]}
            required
          />
        )}
        <div className="form-actions">
          <Button variant="ghost" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" variant="primary" loading={mutation.isPending}>
            Save destination
          </Button>
        </div>
      </form>
    </Modal>
  );
}
