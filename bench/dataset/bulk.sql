-- The bulk path of the benchmark data set: the rows the API would create for
-- organizations, plans, focus areas, initiatives, indicators and measurements
-- (with one audit event per created row, as the API writes one per write),
-- generated in one transaction from a seed, so every run gets identical rows.
-- Every CHECK, UNIQUE and FOREIGN KEY of the schema applies (nothing is disabled).
--
-- psql variables (all required): seed, orgs, plans, fa, ini, ind, meas,
-- big (0/1: add one plan to organization 1 of big_fa focus areas, each with big_ini
-- initiatives and big_ind indicators, each indicator with big_meas measurements),
-- big_fa, big_ini, big_ind, big_meas. In ordinary plans ind is per initiative.
\set ON_ERROR_STOP on
BEGIN;
SELECT set_config('bench.seed', :'seed', true);

-- A deterministic UUID v7 (its timestamp field is kind's base + n milliseconds,
-- so ids of one kind sort in creation order, like the API's; the random bits
-- come from the seed): 12 hex digits of time, the version 7, 3 random digits,
-- the variant 8, 15 random digits. One expression and no FROM, so PostgreSQL
-- inlines it into the INSERTs instead of calling a function per row (the load
-- of the large data set took a minute that way).
CREATE FUNCTION pg_temp.bid(kind int, n bigint) RETURNS uuid LANGUAGE sql STABLE AS $$
    SELECT left(overlay(overlay(
               lpad(to_hex(1672531200000 + kind * 10000000000::bigint + n), 12, '0')
               || md5(current_setting('bench.seed') || ':' || kind || ':' || n)
           placing '7' from 13 for 0) placing '8' from 17 for 0), 32)::uuid
$$;
-- A deterministic number in [0, 1).
CREATE FUNCTION pg_temp.rnd(kind int, n bigint) RETURNS double precision LANGUAGE sql STABLE AS $$
    SELECT ('x' || substr(md5(current_setting('bench.seed') || ':r' || kind || ':' || n), 1, 8))::bit(32)::bigint
           / 4294967296.0
$$;

CREATE TEMP TABLE g_org ON COMMIT DROP AS
    SELECT o, pg_temp.bid(1, o) AS id FROM generate_series(1, :orgs) AS o;
INSERT INTO organizations (id, name, kind, municipality_code)
    SELECT id, 'Bench Kommune ' || o, 'municipality', (100 + o)::text FROM g_org;

CREATE TEMP TABLE g_plan ON COMMIT DROP AS
    SELECT row_number() OVER (ORDER BY o, p) AS n, o, p, nf, ni, nk, nm, big
    FROM (SELECT o, p, :fa AS nf, :ini AS ni, :ind AS nk, :meas AS nm, false AS big
          FROM generate_series(1, :orgs) AS o, generate_series(1, :plans) AS p
          UNION ALL
          SELECT 1, :plans + 1, :big_fa, :big_ini, :big_ind, :big_meas, true WHERE :big = 1) AS s;
ALTER TABLE g_plan ADD COLUMN id uuid;
UPDATE g_plan SET id = pg_temp.bid(2, n);
INSERT INTO plans (id, organization_id, title, description, period_start, period_end, status)
    SELECT g_plan.id, g_org.id,
           CASE WHEN big THEN 'Stor udviklingsplan ' ELSE 'Udviklingsplan ' END || p,
           'Genereret til benchmark', date '2014-01-01', date '2026-12-31', 'draft'
    FROM g_plan JOIN g_org USING (o);

CREATE TEMP TABLE g_fa ON COMMIT DROP AS
    SELECT row_number() OVER (ORDER BY g_plan.n, f) AS n, g_plan.n AS pn, g_plan.id AS plan_id, f, o
    FROM g_plan, generate_series(1, nf) AS f;
ALTER TABLE g_fa ADD COLUMN id uuid;
UPDATE g_fa SET id = pg_temp.bid(3, n);
INSERT INTO focus_areas (id, plan_id, position, title, objective, legal_reference)
    SELECT id, plan_id, f, 'Fokusområde ' || f, 'Målsætning for fokusområde ' || f, 'Barnets Lov § ' || (18 + f)
    FROM g_fa;

CREATE TEMP TABLE g_ini ON COMMIT DROP AS
    SELECT row_number() OVER (ORDER BY g_fa.n, i) AS n, g_fa.id AS focus_area_id, g_fa.plan_id, g_fa.o, i
    FROM g_fa JOIN g_plan ON g_plan.n = g_fa.pn, generate_series(1, g_plan.ni) AS i;
ALTER TABLE g_ini ADD COLUMN id uuid;
UPDATE g_ini SET id = pg_temp.bid(4, n);
INSERT INTO initiatives (id, focus_area_id, plan_id, title, description, owner, start_date, due_date, status)
    SELECT id, focus_area_id, plan_id, 'Indsats ' || i, 'Beskrivelse af indsats ' || i, 'Myndighedsafdelingen',
           date '2024-01-01' + (i * 7), date '2025-06-30' + (i * 7),
           (ARRAY['planned', 'in_progress', 'done', 'blocked'])[1 + (n % 4)]
    FROM g_ini;

CREATE TEMP TABLE g_ind ON COMMIT DROP AS
    SELECT row_number() OVER (ORDER BY g_ini.n, k) AS n, g_ini.id AS initiative_id, g_ini.focus_area_id,
           g_ini.plan_id, g_ini.o, k, g_plan.nm
    FROM g_ini JOIN g_plan ON g_plan.id = g_ini.plan_id,
         -- Ordinary plans: nk indicators per initiative. The big plan: nk per focus
         -- area, dealt round its initiatives (initiative i gets k = i, i + ni, …).
         generate_series(CASE WHEN g_plan.big THEN g_ini.i ELSE 1 END, g_plan.nk,
                         CASE WHEN g_plan.big THEN g_plan.ni ELSE 1 END) AS k;
ALTER TABLE g_ind ADD COLUMN id uuid;
UPDATE g_ind SET id = pg_temp.bid(5, n);
INSERT INTO indicators (id, plan_id, focus_area_id, initiative_id, name, definition, unit, direction,
                        baseline_value, baseline_date, target_value, target_date, frequency, legal_regime)
    SELECT id, plan_id, focus_area_id, initiative_id, 'Indikator ' || k, 'Andel af sagerne', 'percent',
           'increase', round((40 + 20 * pg_temp.rnd(5, n))::numeric, 1), date '2014-01-01', 95,
           date '2026-12-31', 'monthly', 'barnets_lov'
    FROM g_ind;

-- Monthly measurements ending in December 2025, the last nm months.
INSERT INTO measurements (id, indicator_id, period_end, value, note)
    SELECT pg_temp.bid(6, (g_ind.n - 1) * 1000 + m), g_ind.id,
           (date '2026-01-01' - ((g_ind.nm - m) * interval '1 month'))::date - 1,
           round((100 * pg_temp.rnd(6, (g_ind.n - 1) * 1000 + m))::numeric, 1), ''
    FROM g_ind, generate_series(1, g_ind.nm) AS m;

-- One audit event per created row, as the API records them.
INSERT INTO audit_events (id, actor_id, actor_name, organization_id, entity_type, entity_id, action, after)
    SELECT pg_temp.bid(7, row_number() OVER (ORDER BY kind_order, id)), NULL, 'planspor bench (bulk load)',
           org, entity, id, action, after
    FROM (SELECT 1 AS kind_order, o.id, NULL::uuid AS org, 'organization' AS entity, 'create' AS action, to_jsonb(o) AS after
          FROM organizations o JOIN g_org USING (id)
          UNION ALL SELECT 2, p.id, p.organization_id, 'plan', 'create', to_jsonb(p) FROM plans p
          UNION ALL SELECT 3, f.id, g.o_id, 'focus_area', 'create', to_jsonb(f)
              FROM focus_areas f JOIN (SELECT g_fa.id, g_org.id AS o_id FROM g_fa JOIN g_org USING (o)) g USING (id)
          UNION ALL SELECT 4, i.id, g.o_id, 'initiative', 'create', to_jsonb(i)
              FROM initiatives i JOIN (SELECT g_ini.id, g_org.id AS o_id FROM g_ini JOIN g_org USING (o)) g USING (id)
          UNION ALL SELECT 5, d.id, g.o_id, 'indicator', 'create', to_jsonb(d)
              FROM indicators d JOIN (SELECT g_ind.id, g_org.id AS o_id FROM g_ind JOIN g_org USING (o)) g USING (id)
          UNION ALL SELECT 6, m.id, g.o_id, 'measurement', 'upsert', to_jsonb(m)
              FROM measurements m JOIN (SELECT g_ind.id, g_org.id AS o_id FROM g_ind JOIN g_org USING (o)) g
                   ON g.id = m.indicator_id) AS rows;
COMMIT;
VACUUM ANALYZE;
-- Write the load's pages out now: a checkpoint due to it would otherwise fall into
-- a scenario and stall its writes (a 300 ms p99 for PUT in run 2332).
CHECKPOINT;
