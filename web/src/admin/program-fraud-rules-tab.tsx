import { useQuery } from "@tanstack/react-query";
import { Link } from "react-router";
import { api } from "../shared/api.js";
import { EmptyState } from "../shared/empty-state.js";
import { LockIcon } from "../shared/icons.js";
import { QueryState } from "../shared/query-state.js";
import type { Program } from "../shared/types.js";
import { adminKeys } from "./admin-queries.js";
import { FraudRuleCard } from "./fraud-rule-card.js";
import type { FraudRuleView } from "./fraud-rule-draft.js";
import { type RuleWhen, WHEN_WORDS } from "./fraud-rule-labels.js";
import { useMe } from "./use-me.js";
import "../styles/fraud-rules.css";

const GROUPS: RuleWhen[] = ["ingestion", "sweep", "report"];

function RuleList({ program, rules, editable }: { program: Program; rules: FraudRuleView[]; editable: boolean }) {
  const { user } = useMe();
  const on = rules.filter((r) => r.enabled).length;
  const customized = rules.filter((r) => r.customized).length;
  // A `when` this console does not know yet still gets its section, after the known ones.
  const whens = [...GROUPS, ...new Set(rules.map((r) => r.when).filter((w) => !GROUPS.includes(w as RuleWhen)))];
  return (
    <div className="fraud-rules">
      <div className="fraud-rules-intro">
        <p>
          Each rule screens this program&rsquo;s conversions. What a rule catches is recorded, and its action decides
          what happens to the money: flagged and held conversions wait in <Link to="/admin/fraud">Fraud review</Link>.
          Each rule says who changed it last; every change is in the{" "}
          <Link to="/admin/audit-log?entityType=fraud_rule">audit log</Link>.
        </p>
        <p className="fraud-rules-count">
          {rules.length} rules · {on} on · {customized === 0 ? "all on their defaults" : `${customized} customized`}
        </p>
        {!editable && (
          <p className="alert alert-info-soft" role="note">
            You can see these rules; owners and managers change them.
          </p>
        )}
      </div>
      {whens.map((when) => {
        const group = rules.filter((r) => r.when === when);
        if (group.length === 0) return null;
        const words = WHEN_WORDS[when as RuleWhen];
        return (
          <section key={when} className="fraud-rules-group" aria-labelledby={`fraud-rules-${when}`}>
            <div className="fraud-rules-group-intro">
              <h2 id={`fraud-rules-${when}`}>{words?.title ?? when}</h2>
              {words && <p>{words.description}</p>}
            </div>
            <div className="fraud-rules-cards">
              {group.map((view) => (
                <FraudRuleCard
                  key={view.rule}
                  programId={program.id}
                  view={view}
                  editable={editable}
                  draftKey={`${user.id}:${program.id}`}
                />
              ))}
            </div>
          </section>
        );
      })}
    </div>
  );
}

/**
 * /admin/programs/:id/fraud-rules: the program's fraud rules, each on or off with its action and thresholds. The
 * rules and their fields come from the API's catalog; fraud-rule-labels.ts says them in words.
 */
export function ProgramFraudRulesTab({ program }: { program: Program }) {
  const { can } = useMe();
  const readable = can("fraud:read");
  const query = useQuery({
    queryKey: adminKeys.fraudRules(program.id),
    queryFn: () => api.get<{ items: FraudRuleView[] }>(`/v1/programs/${program.id}/fraud-rules`).then((r) => r.items),
    enabled: readable,
  });
  if (!readable)
    return (
      <div className="card">
        <EmptyState icon={<LockIcon size={22} />} title="Fraud rules are not open to your role">
          Owners, managers and finance see them; owners and managers change them.
        </EmptyState>
      </div>
    );
  return (
    <QueryState query={query} skeleton={{ rows: 6, columns: 2 }}>
      {query.data && <RuleList program={program} rules={query.data} editable={can("fraud:write")} />}
    </QueryState>
  );
}
