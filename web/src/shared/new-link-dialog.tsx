import { useMutation } from "@tanstack/react-query";
import { type FormEvent, useRef, useState } from "react";
import { Button } from "./button.js";
import { FormAlert } from "./form-alert.js";
import { fieldErrors } from "./form-errors.js";
import { LinkIcon } from "./icons.js";
import { Modal } from "./modal.js";
import { SelectField } from "./select-field.js";
import { TextField } from "./text-field.js";
import type { TrackingLink } from "./types.js";
import { useFocusFirstError } from "./use-focus-first-error.js";
import { withScheme } from "./web-address.js";

export interface NewLinkInput {
  enrollmentId: string;
  slug?: string;
  destinationUrl: string;
}

interface NewLinkDialogProps {
  /** The enrollments the link may belong to; a choice is shown when there are several. */
  enrollments: { id: string; label: string }[];
  create: (input: NewLinkInput) => Promise<TrackingLink>;
  onCreated: (link: TrackingLink) => void;
  onClose: () => void;
  description?: string;
  destinationHint?: string;
  destinationPlaceholder?: string;
  /** Label the enrollment choice "Partner" (console, one program) rather than "Program" (one partner). */
  partnerChoice?: boolean;
}

/** A custom tracking link: an optional memorable slug and where the visitor lands. */
export function NewLinkDialog({
  enrollments,
  create,
  onCreated,
  onClose,
  description,
  destinationHint = "Must be a page on the program's allowed domains.",
  destinationPlaceholder = "https://",
  partnerChoice = false,
}: NewLinkDialogProps) {
  const [chosen, setChosen] = useState("");
  // Among several partners one is chosen on purpose (the first in the list is easily the wrong one); one enrollment,
  // or one program among a partner's few, needs no choice. What is submitted is always what the select shows, also
  // when the list arrives after the dialog opened.
  const mustChoose = partnerChoice && enrollments.length > 1;
  const enrollmentId = enrollments.some((e) => e.id === chosen) ? chosen : mustChoose ? "" : (enrollments[0]?.id ?? "");
  const [unchosen, setUnchosen] = useState(false);
  const [slug, setSlug] = useState("");
  const [destinationUrl, setDestinationUrl] = useState("");
  const formRef = useRef<HTMLFormElement>(null);
  const selectRef = useRef<HTMLSelectElement>(null);
  const mutation = useMutation({
    mutationFn: () =>
      create({
        enrollmentId,
        // "acme.example/pricing" is taken as https, as the portal's link builder and a browser take it.
        destinationUrl: withScheme(destinationUrl),
        ...(slug.trim() ? { slug: slug.trim() } : {}),
      }),
    onSuccess: onCreated,
  });
  useFocusFirstError(formRef, mutation.error);
  const errors = fieldErrors(mutation.error);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setUnchosen(enrollmentId === "");
    if (enrollmentId === "") {
      mutation.reset();
      selectRef.current?.focus();
      return;
    }
    mutation.mutate();
  };
  return (
    <Modal open onClose={onClose} title="New tracking link" description={description}>
      <form ref={formRef} className="stack" onSubmit={submit} noValidate>
        <FormAlert error={mutation.error} shown={["/enrollmentId", "/slug", "/destinationUrl"]} />
        {(enrollments.length > 1 || partnerChoice) && (
          <SelectField
            ref={selectRef}
            label={partnerChoice ? "Partner" : "Program"}
            value={enrollmentId}
            onChange={(id) => {
              setChosen(id);
              setUnchosen(false);
            }}
            options={enrollments.map((e) => ({ value: e.id, label: e.label }))}
            placeholder={
              mustChoose || enrollmentId === "" ? (partnerChoice ? "Choose a partner" : "Choose a program") : undefined
            }
            error={unchosen ? (partnerChoice ? "Choose a partner" : "Choose a program") : errors["/enrollmentId"]}
            required
          />
        )}
        <TextField
          label="Destination"
          type="url"
          value={destinationUrl}
          onChange={setDestinationUrl}
          placeholder={destinationPlaceholder}
          hint={destinationHint}
          error={errors["/destinationUrl"]}
          required
        />
        <TextField
          label="Link name"
          prefix={`${window.location.host}/r/`}
          value={slug}
          onChange={setSlug}
          placeholder="spring-newsletter"
          hint="Letters, digits, - and _. Leave empty for a random one."
          error={errors["/slug"]}
          optional
        />
        <div className="form-actions">
          <Button variant="ghost" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" variant="primary" icon={<LinkIcon size={16} />} loading={mutation.isPending}>
            Create link
          </Button>
        </div>
      </form>
    </Modal>
  );
}
