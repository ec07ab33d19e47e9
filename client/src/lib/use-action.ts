import { type FormEvent, useState } from 'react';
import { type FormErrors, useErrorText } from './errors';

/**
 * Runs one action of a panel (an API call or a socket command) and keeps its refusal, in words,
 * for that panel, with a busy flag to disable its buttons meanwhile. Resolves to whether it worked.
 */
export function useAction() {
  const { message } = useErrorText();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const act = async (fn: () => Promise<unknown>): Promise<boolean> => {
    setBusy(true);
    setError(null);
    try {
      await fn();
      return true;
    } catch (e) {
      setError(message(e));
      return false;
    } finally {
      setBusy(false);
    }
  };
  return { act, error, busy };
}

/**
 * The submission of an account form: busy while `action` runs, which moves on when it works (so
 * the form stays busy); a refusal becomes the form's errors through `toErrors`, and it can be sent again.
 */
export function useFormSubmit(action: () => Promise<void>, toErrors: (error: unknown) => FormErrors) {
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<FormErrors | null>(null);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setErrors(null);
    try {
      await action();
    } catch (error) {
      setErrors(toErrors(error));
      setBusy(false);
    }
  };
  return { busy, errors, submit };
}
