'use client';
/** Asks for the operator token after a 401 and keeps it for this tab only (sessionStorage). */
import { useState } from 'react';
import { setToken } from '../live/api-client';
import { Button } from './button';

export function TokenPrompt({ onDone }: { onDone: () => void }) {
  const [value, setValue] = useState('');
  return (
    <form
      className="mt-3 flex gap-2"
      onSubmit={(e) => {
        e.preventDefault();
        setToken(value);
        onDone();
      }}
    >
      <input type="password" autoComplete="off" aria-label="operator token" value={value} onChange={(e) => setValue(e.target.value)} placeholder="operator token" className="flex-1 rounded border border-slate-700 bg-slate-900 px-2 py-1 text-sm" />
      <Button variant="primary" type="submit">
        Save
      </Button>
    </form>
  );
}
