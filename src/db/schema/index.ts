export * from "./accounts.js";
export * from "./commissions.js";
export * from "./fraud.js";
export * from "./governance.js";
export * from "./partners.js";
export * from "./payouts.js";
export * from "./programs.js";
export * from "./tracking.js";
