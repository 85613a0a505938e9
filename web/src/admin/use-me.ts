import { createContext, useContext } from "react";
import type { Me } from "../shared/types.js";

export const MeContext = createContext<Me | undefined>(undefined);

/** The signed-in team member; `can` hides what the role may not do (the server enforces it anyway). */
export function useMe() {
  const me = useContext(MeContext);
  if (!me) throw new Error("useMe must be used inside the console layout");
  return { ...me, can: (permission: string) => me.permissions.includes(permission) };
}
