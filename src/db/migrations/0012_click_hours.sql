CREATE TABLE "click_hours" (
	"program_id" text NOT NULL,
	"hour" timestamp with time zone NOT NULL,
	"clicks" integer NOT NULL,
	CONSTRAINT "click_hours_program_id_hour_pk" PRIMARY KEY("program_id","hour")
);
