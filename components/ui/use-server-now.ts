'use client';
/** The server's clock, re-read every 250 ms in the browser (countdowns and ages tick without refetching). */
import { useEffect, useState } from 'react';

export function useServerNow(serverNow: () => number): number {
  const [now, setNow] = useState(() => serverNow());
  useEffect(() => {
    setNow(serverNow());
    const t = setInterval(() => setNow(serverNow()), 250);
    return () => clearInterval(t);
  }, [serverNow]);
  return now;
}
