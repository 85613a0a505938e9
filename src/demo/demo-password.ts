/** Every demo account (team and partners) signs in with this password. */
export const DEMO_PASSWORD = "tributary-demo";
