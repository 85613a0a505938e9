import type { ReactNode } from "react";

/** A settings form's section: its title and what it is for on the left, its fields in a card beside them. */
export function FormSection({
  title,
  description,
  children,
}: {
  title: string;
  description: ReactNode;
  children: ReactNode;
}) {
  return (
    <section className="form-section">
      <div className="form-section-intro">
        <h2>{title}</h2>
        <p>{description}</p>
      </div>
      <div className="form-section-body card">{children}</div>
    </section>
  );
}
