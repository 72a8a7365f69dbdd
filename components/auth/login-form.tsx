"use client";
// The researcher sign-in form; the server action is passed in by the page.
import { useActionState } from "react";

type LoginState = { error: string | null; email: string };

export function LoginForm({
  action,
  callbackUrl,
}: {
  action: (state: LoginState, formData: FormData) => Promise<LoginState>;
  callbackUrl: string;
}) {
  const [state, formAction, pending] = useActionState(action, { error: null, email: "" });
  return (
    <form
      action={formAction}
      className="card r-stack"
      aria-describedby={state.error ? "login-error" : undefined}
    >
      <input type="hidden" name="callbackUrl" value={callbackUrl} />
      <label className="r-field">
        <span>Email</span>
        <input
          name="email"
          type="email"
          autoComplete="username"
          required
          defaultValue={state.email}
          key={state.email}
        />
      </label>
      <label className="r-field">
        <span>Password</span>
        <input name="password" type="password" autoComplete="current-password" required />
      </label>
      {state.error ? (
        <p id="login-error" role="alert" className="error" data-testid="login-error">
          {state.error}
        </p>
      ) : null}
      <div>
        <button className="button" type="submit" disabled={pending}>
          {pending ? "Signing in…" : "Sign in"}
        </button>
      </div>
    </form>
  );
}
