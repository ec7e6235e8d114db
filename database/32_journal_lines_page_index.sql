-- Part 32 — the statement page index carries entry_id too, so a month page of a payee's lines is an
-- index-only scan (no heap visit per line); it serves everything the old account index served, which
-- goes. Built plainly: under Flyway a CONCURRENTLY build waits for Flyway's own open transaction. On a
-- large live ledger build it CONCURRENTLY by hand first, under this name; IF NOT EXISTS then skips it.
CREATE INDEX IF NOT EXISTS journal_lines_account_page_idx ON public.journal_lines (account_id, posted_at)
    INCLUDE (amount_minor, entry_id);
DROP INDEX IF EXISTS public.journal_lines_account_idx;
