-- What-if for ledger-statement (issue #7: balance and statement p99 ≤ 5 ms), measured with
-- -Dbench.extraSql; NOT a migration. A payee's query evaluates public.current_payee_ids() three times
-- (its own WHERE, the ledger_accounts policy, and the journal_lines policy's sub-select, itself under the
-- ledger_accounts policy), ~0.25 ms each on the 2-core machine: a SQL function with SET search_path is
-- never inlined, so each call sets up its body afresh, and so do the three SECURITY DEFINER helpers it
-- calls. Here the same lookups (same tables, same conditions) are one query inside PL/pgSQL, whose plan is
-- cached for the session.
CREATE OR REPLACE FUNCTION public.current_payee_ids() RETURNS uuid[]
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
DECLARE
    v_user uuid := public.current_app_user_id();
BEGIN
    IF v_user IS NULL THEN
        RETURN '{}';
    END IF;
    RETURN array_remove(ARRAY[v_user,
        (SELECT d.id FROM public.drivers d WHERE d.user_id = v_user AND d.deleted_at IS NULL),
        (SELECT fa.fleet_company_id FROM public.fleet_admins fa WHERE fa.user_id = v_user),
        (SELECT m.hotel_id FROM public.hotel_staff_members m WHERE m.user_id = v_user)], NULL);
END
$$;
