import { forgetIpSalts } from "../../domain/tracking/ip-hasher.js";
import type { JobDefinition } from "../job-definition.js";

/** Click IP hashes become irreversible once their day's salt is gone (ip-hasher.ts). */
export const forgetIpSaltsJob: JobDefinition = {
  name: "forget-ip-salts",
  cron: "*/5 * * * *",
  description: "delete the IP hash salts of days that ended more than 10 minutes ago",
  async run(deps) {
    return forgetIpSalts(deps);
  },
};
