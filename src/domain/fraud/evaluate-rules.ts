import type { FraudAction, FraudRule, PartnerContact } from "../../db/schema/index.js";
import { isBotAgent } from "../tracking/visitor.js";
import { isDisposableDomain, isFreeMailDomain, websiteHost } from "./email-domains.js";
import type { RuleSet } from "./fraud-rules.js";

/** One rule's verdict on a conversion, before it is stored. */
export interface Finding {
  rule: FraudRule;
  action: FraudAction;
  /** The partner the evidence concerns. */
  partnerId: string;
  evidence: Record<string, unknown>;
}

/** What the ingestion-time rules look at: the request, the credit, and what the database answered. */
export interface ConversionFacts {
  kind: "lead" | "sale";
  /** Lower-cased. */
  email: string | undefined;
  emailDomain: string | undefined;
  ipGiven: boolean;
  ipHash: string | undefined;
  deviceHash: string | undefined;
  /** undefined: the caller sent no userAgent field. */
  userAgent: string | undefined;
  creditedPartnerIds: string[];
  /** Per credited partner, its latest click before the conversion. */
  clicks: { partnerId: string; clickId: string; seconds: number }[];
  partnerUsers: { partnerId: string; email: string }[];
  partners: { partnerId: string; website: string | null; contacts: PartnerContact[] }[];
  /**
   * Partner identifiers that matched the session IP, the customer's email, or the device (Tributary's cookie)
   * of the partner's credited click.
   */
  identifiers: { partnerId: string; kind: "ip" | "device" | "payout_email" }[];
  ipCount: number;
  deviceCount: number;
  /** Other partners credited for another customer record with the same email. */
  duplicatePartners: string[];
  duplicateOrders: string[];
}

/**
 * The rules that can decide from one conversion: pure, so each is tested on its own. A disabled rule or an
 * `allow` rule that matches still yields a finding when it is enabled (allow records without consequence).
 */
export function evaluateIngestionRules(rules: RuleSet, facts: ConversionFacts): Finding[] {
  const findings: Finding[] = [];
  const top = facts.creditedPartnerIds[0]!;
  const add = (rule: FraudRule, partnerId: string, evidence: Record<string, unknown>) => {
    if (rules[rule].enabled) findings.push({ rule, action: rules[rule].action, partnerId, evidence });
  };

  for (const partnerId of facts.creditedPartnerIds) {
    const matches = selfReferralMatches(rules, facts, partnerId);
    if (matches.length > 0) add("self_referral", partnerId, { matches });
  }

  if (facts.duplicatePartners.length > 0) {
    add("duplicate_customer", top, {
      detail: "the customer's email belongs to another customer of the program credited to another partner",
      otherPartnerIds: facts.duplicatePartners,
    });
  }

  if (facts.kind === "sale" && facts.duplicateOrders.length > 0) {
    add("duplicate_order", top, {
      detail: "another sale with the same customer, amount and currency in the window",
      otherConversionIds: facts.duplicateOrders,
      windowMinutes: rules.duplicate_order.thresholds.windowMinutes,
    });
  }

  const velocity = rules.velocity.thresholds;
  // The counts are of earlier conversions; this one makes one more.
  const overIp = velocity.byIp && facts.ipHash !== undefined && facts.ipCount + 1 > velocity.maxConversions;
  const overDevice =
    velocity.byDevice && facts.deviceHash !== undefined && facts.deviceCount + 1 > velocity.maxConversions;
  if (overIp || overDevice) {
    add("velocity", top, {
      ...(overIp ? { conversionsFromIp: facts.ipCount + 1 } : {}),
      ...(overDevice ? { conversionsFromDevice: facts.deviceCount + 1 } : {}),
      maxConversions: velocity.maxConversions,
      windowMinutes: velocity.windowMinutes,
      scope: velocity.scope,
    });
  }

  const minSeconds = rules.click_injection.thresholds.minSeconds;
  for (const click of facts.clicks) {
    if (click.seconds >= 0 && click.seconds < minSeconds) {
      add("click_injection", click.partnerId, {
        secondsAfterClick: click.seconds,
        clickId: click.clickId,
        minSeconds,
      });
    }
  }

  if (facts.emailDomain && isDisposableDomain(facts.emailDomain)) {
    add("disposable_email", top, { domain: facts.emailDomain });
  }

  const missing = facts.userAgent === undefined ? facts.ipGiven : facts.userAgent.trim() === "";
  if (missing && rules.bot_user_agent.thresholds.missingIsBot) {
    add("bot_user_agent", top, { detail: "the converting session sent no user agent" });
  } else if (facts.userAgent && isBotAgent(facts.userAgent)) {
    add("bot_user_agent", top, {
      detail: "the converting session's user agent is a bot",
      userAgent: facts.userAgent.slice(0, 200),
    });
  }
  return findings;
}

function selfReferralMatches(rules: RuleSet, facts: ConversionFacts, partnerId: string): string[] {
  const { matchEmail, matchDomain, matchIp, matchDevice } = rules.self_referral.thresholds;
  const matches: string[] = [];
  const users = facts.partnerUsers.filter((u) => u.partnerId === partnerId);
  const partner = facts.partners.find((p) => p.partnerId === partnerId);
  const contacts = (partner?.contacts ?? []).map((c) => c.email?.trim().toLowerCase()).filter(Boolean) as string[];
  const identifiers = facts.identifiers.filter((i) => i.partnerId === partnerId);
  if (matchEmail && facts.email) {
    if (users.some((u) => u.email === facts.email)) matches.push("customer email is a portal user's email");
    if (contacts.includes(facts.email)) matches.push("customer email is a partner contact's email");
    if (identifiers.some((i) => i.kind === "payout_email")) matches.push("customer email is the payout email");
  }
  if (matchDomain && facts.emailDomain && !isFreeMailDomain(facts.emailDomain)) {
    const domain = facts.emailDomain;
    const sameOrParent = (host: string | undefined) =>
      host !== undefined && (host === domain || host.endsWith(`.${domain}`) || domain.endsWith(`.${host}`));
    if (users.some((u) => u.email.split("@")[1] === domain))
      matches.push(`customer email domain ${domain} is a portal user's domain`);
    else if (contacts.some((c) => c.split("@")[1] === domain))
      matches.push(`customer email domain ${domain} is a partner contact's domain`);
    else if (sameOrParent(websiteHost(partner?.website)))
      matches.push(`customer email domain ${domain} is the partner website's domain`);
  }
  if (matchIp && identifiers.some((i) => i.kind === "ip")) {
    matches.push("converting session IP is one the partner's users signed in to the portal from");
  }
  if (matchDevice && identifiers.some((i) => i.kind === "device")) {
    matches.push("the credited click came from a browser the partner's users signed in to the portal with");
  }
  return matches;
}
