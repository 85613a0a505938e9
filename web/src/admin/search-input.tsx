import { useEffect, useId, useRef, useState } from "react";
import { SearchIcon } from "../shared/icons.js";

/** A search box that reports its value after typing pauses. */
export function SearchInput({
  label,
  value,
  onChange,
  placeholder,
  list,
  className = "filter-search",
}: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  placeholder?: string;
  list?: string;
  className?: string;
}) {
  const id = useId();
  const [text, setText] = useState(value);
  // The latest onChange, read when the pause ends: callers pass a new function on every render, and a list that
  // re-renders while someone types (a refetch, a drawer closing) must not restart the pause each time, or a list
  // that re-renders more often than the pause would never search at all.
  const report = useRef(onChange);
  report.current = onChange;
  useEffect(() => setText(value), [value]);
  useEffect(() => {
    if (text === value) return;
    const timer = window.setTimeout(() => report.current(text), 300);
    return () => window.clearTimeout(timer);
  }, [text, value]);
  return (
    <div className={`field ${className}`}>
      <label className="field-label" htmlFor={id}>
        {label}
      </label>
      <div className="search-input">
        <SearchIcon size={16} />
        <input
          id={id}
          className="input"
          type="search"
          value={text}
          placeholder={placeholder}
          list={list}
          onChange={(event) => setText(event.target.value)}
          onKeyDown={(event) => {
            if (event.key === "Enter") report.current(text);
          }}
        />
      </div>
    </div>
  );
}
