import { Type } from "typebox";

/** Who made a change recorded in the audit log, as `auditActor` says it. */
export const AuditActorSchema = Type.Object({
  type: Type.String({ description: "team, api_key, system, partner" }),
  name: Type.String({ description: "a team member's name; otherwise the label it acted under" }),
  email: Type.Union([Type.String(), Type.Null()], { description: "a team member's email" }),
});
