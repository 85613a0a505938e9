import { createContext, useContext } from "react";
import type { PortalMe } from "../shared/types.js";

export const PortalMeContext = createContext<PortalMe | undefined>(undefined);

export function usePortalMe(): PortalMe {
  const me = useContext(PortalMeContext);
  if (!me) throw new Error("usePortalMe must be used inside the portal layout");
  return me;
}
