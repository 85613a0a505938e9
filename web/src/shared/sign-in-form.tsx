import { type FormEvent, useState } from "react";
import { Button } from "./button.js";
import { FormAlert } from "./form-alert.js";
import { fieldErrors } from "./form-errors.js";
import { TextField } from "./text-field.js";

export interface Credentials {
  email: string;
  password: string;
}

/**
 * Email and password with field errors: the console and the portal sign in the same way, to different APIs. The
 * dialog for an ended session starts with the user's email filled in.
 */
export function SignInForm(props: {
  onSubmit: (credentials: Credentials) => void;
  error: unknown;
  pending: boolean;
  defaultEmail?: string;
  submitLabel?: string;
}) {
  const [email, setEmail] = useState(props.defaultEmail ?? "");
  const [password, setPassword] = useState("");
  const errors = fieldErrors(props.error);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    props.onSubmit({ email, password });
  };
  return (
    <form className="stack" onSubmit={submit} noValidate>
      <FormAlert error={props.error} shown={["/email", "/password"]} />
      <TextField
        label="Email"
        type="email"
        value={email}
        onChange={setEmail}
        autoComplete="username"
        error={errors["/email"]}
        required
      />
      <TextField
        label="Password"
        type="password"
        value={password}
        onChange={setPassword}
        autoComplete="current-password"
        error={errors["/password"]}
        required
      />
      <Button type="submit" variant="primary" size="lg" className="btn-block" loading={props.pending}>
        {props.submitLabel ?? "Sign in"}
      </Button>
    </form>
  );
}
