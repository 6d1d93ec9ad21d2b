/**
 * The console frame's fallbacks rendered to HTML (react-dom/server, no browser): the error boundary shows the
 * thrown message, the server digest when there is one, and a retry button; a non-Error throw is still described;
 * the loading skeleton is an accessible busy region shaped like a page (cards), not a blank page.
 */
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import ConsoleError from '../../../app/(console)/error';
import { PageSkeleton } from '../../../components/ui/page-skeleton';

function renderError(error: unknown): string {
  return renderToStaticMarkup(createElement(ConsoleError, { error, retry: () => {} }));
}

describe('console error boundary', () => {
  it('shows the message, the digest and a retry button', () => {
    const err = Object.assign(new Error('feed table exploded'), { digest: 'd1g35t-42' });
    const html = renderError(err);
    expect(html).toContain('role="alert"');
    expect(html).toMatch(/data-testid="page-error-message"[^>]*>feed table exploded</);
    expect(html).toMatch(/data-testid="page-error-digest"[^>]*>d1g35t-42</);
    expect(html).toMatch(/<button[^>]*data-testid="page-error-retry"[^>]*>Retry<\/button>/);
  });

  it('omits the digest line when the error has none, and describes thrown non-errors', () => {
    const html = renderError(new Error('client-side'));
    expect(html).toContain('client-side');
    expect(html).not.toContain('page-error-digest');
    expect(renderError('plain string')).toContain('plain string');
    expect(renderError({ code: 7 })).toContain('{&quot;code&quot;:7}');
    expect(renderError(undefined)).toContain('undefined');
  });

  it('escapes the message (it is text, never markup)', () => {
    const html = renderError(new Error('<img src=x onerror=alert(1)>'));
    expect(html).not.toContain('<img');
    expect(html).toContain('&lt;img');
  });
});

describe('page skeleton', () => {
  it('is a busy status region with card placeholders', () => {
    const html = renderToStaticMarkup(createElement(PageSkeleton));
    expect(html).toContain('role="status"');
    expect(html).toContain('aria-busy="true"');
    expect(html.match(/rounded-xl border/g)?.length ?? 0).toBeGreaterThanOrEqual(6);
    expect(html.match(/animate-pulse/g)?.length ?? 0).toBeGreaterThanOrEqual(10);
  });
});
