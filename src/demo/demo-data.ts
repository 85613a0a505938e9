import type { PartnerType } from "../db/schema/index.js";
import type { CreateProgramInput } from "../domain/programs/programs.schemas.js";

export type DemoState = "applied" | "approved" | "rejected" | "active" | "suspended" | "terminated";

const terms = (kind: string) =>
  `Acme ${kind} terms\n\n1. Promote Acme honestly; no bidding on Acme brand keywords.\n2. Commissions are paid monthly after a 30-day holding period.\n3. Either party may end this agreement with 30 days' notice.`;

export const demoPrograms: CreateProgramInput[] = [
  {
    name: "Acme Affiliates",
    slug: "acme-affiliates",
    type: "affiliate",
    description:
      "Earn 10% on your first 5 sales each month and 15% on every sale beyond, for the first year of each customer you send to Acme Analytics.",
    currency: "USD",
    payoutSchedule: "net_15",
    payoutMinimum: 1_000,
    cookieWindowDays: 30,
    allowedDomains: ["acme.example", "get.acme.example"],
    defaultLandingUrl: "https://acme.example/",
    termsText: terms("affiliate"),
    applicationQuestions: [
      {
        label: "Where will you promote Acme?",
        type: "select",
        required: true,
        options: ["Blog", "YouTube", "Newsletter", "Social media", "Comparison site"],
      },
      { label: "Monthly audience size", type: "number", required: true },
      { label: "Link to your main channel", type: "url", required: false },
    ],
  },
  {
    name: "Acme Reseller Network",
    slug: "acme-resellers",
    type: "reseller",
    description: "Resell Acme Analytics with partner margins, deal registration and co-marketing funds.",
    currency: "EUR",
    requireTaxForm: true,
    cookieWindowDays: 90,
    allowedDomains: ["acme.example"],
    defaultLandingUrl: "https://acme.example/partners",
    termsText: terms("reseller"),
    applicationQuestions: [
      { label: "Number of sales reps", type: "number", required: true },
      { label: "Regions and industries you cover", type: "long_text", required: true },
    ],
  },
  {
    name: "Acme Customer Referrals",
    slug: "acme-referrals",
    type: "referral",
    description: "Give a friend 20% off their first year and get $100 for every referral that subscribes.",
    currency: "USD",
    payoutSchedule: "net_30",
    cookieWindowDays: 60,
    allowedDomains: ["acme.example"],
    defaultLandingUrl: "https://acme.example/signup",
    termsText: terms("referral"),
    applicationQuestions: [],
  },
];

const firstNames = [
  "Ada",
  "Bruno",
  "Chloé",
  "Dev",
  "Elif",
  "Farah",
  "Goran",
  "Hana",
  "Ines",
  "Jonas",
  "Kofi",
  "Lena",
  "Mateo",
  "Nia",
  "Oskar",
  "Priya",
  "Quinn",
];
const lastNames = [
  "Novak",
  "Okafor",
  "Larsen",
  "Ibarra",
  "Tanaka",
  "Schmidt",
  "Moreau",
  "Kowalski",
  "Haddad",
  "Silva",
  "Brennan",
  "Rossi",
];
const companyWords = [
  "Northwind",
  "Bluepeak",
  "Brightline",
  "Cobalt",
  "Evergreen",
  "Fjord",
  "Granite",
  "Harbor",
  "Ionic",
  "Juniper",
  "Keystone",
  "Lumen",
  "Meridian",
  "Nimbus",
  "Orchard",
  "Pinnacle",
  "Quarry",
];
const companySuffix: Record<number, [string, PartnerType, string]> = {
  0: ["Media", "affiliate", "content marketing for analytics buyers"],
  1: ["Solutions", "reseller", "mid-market data teams"],
  2: ["Reviews", "affiliate", "software comparison reviews"],
  3: ["IT Services", "msp", "managed BI for SMBs"],
  4: ["Consulting", "integrator", "data warehouse implementations"],
  5: ["Labs", "influencer", "YouTube tutorials on dashboards"],
};
const countries = ["US", "DE", "GB", "FR", "NL", "BR", "IN", "JP", "CA", "ES", "SE", "AU"];
// Affiliates are the busiest program; every state appears in every program.
const statePlan: [program: number, state: DemoState, count: number][] = [
  [0, "active", 12],
  [0, "applied", 5],
  [0, "approved", 2],
  [0, "rejected", 3],
  [0, "suspended", 2],
  [0, "terminated", 2],
  [1, "active", 6],
  [1, "applied", 3],
  [1, "approved", 2],
  [1, "rejected", 1],
  [1, "suspended", 1],
  [1, "terminated", 1],
  [2, "active", 5],
  [2, "applied", 2],
  [2, "approved", 1],
  [2, "rejected", 1],
  [2, "suspended", 1],
  [2, "terminated", 1],
];

export interface DemoPartner {
  program: number;
  state: DemoState;
  company: string;
  contact: string;
  email: string;
  domain: string;
  country: string;
  type: PartnerType;
  focus: string;
}

export const demoPartners: DemoPartner[] = statePlan
  .flatMap(([program, state, count]) => Array.from({ length: count }, () => ({ program, state })))
  .map(({ program, state }, i) => {
    const [suffix, type, focus] = companySuffix[i % 6]!;
    // 17 words and 6 kinds share no factor, so every pair comes once in the first 102 partners: no "Harbor Labs 2".
    const company = `${companyWords[i % companyWords.length]} ${suffix}`;
    const slug = company.toLowerCase().replace(/[^a-z0-9]+/g, "-");
    const contact = `${firstNames[i % firstNames.length]} ${lastNames[(i * 7) % lastNames.length]}`;
    return {
      program,
      state,
      company,
      contact,
      // The first partner is the portal demo account.
      email:
        i === 0
          ? "partner@demo.test"
          : `${contact
              .split(" ")[0]!
              .toLowerCase()
              .normalize("NFD")
              .replace(/[^a-z]/g, "")}@${slug}.example`,
      domain: `${slug}.example`,
      country: countries[i % countries.length]!,
      type: program === 1 && type === "affiliate" ? "reseller" : type,
      focus,
    };
  });
