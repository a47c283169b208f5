using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ControlPlane.Migrations.PostgreSql.Migrations
{
    /// <inheritdoc />
    public partial class AuditKeyedChain : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "CallerCorrelationId",
                table: "AuditEvents",
                type: "character varying(128)",
                maxLength: 128,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "KeyId",
                table: "AuditEvents",
                type: "character varying(64)",
                unicode: false,
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Mac",
                table: "AuditEvents",
                type: "character(64)",
                unicode: false,
                fixedLength: true,
                maxLength: 64,
                nullable: true);

            // Only the next event at the head may be inserted: no row at 0 or in a gap (writers hold the chain-head
            // advisory lock, so max + 1 is stable for the inserting transaction).
            migrationBuilder.Sql("CREATE FUNCTION audit_events_append_at_head() RETURNS trigger LANGUAGE plpgsql AS $$ " +
                "DECLARE head_seq bigint; head_hash text; BEGIN " +
                "SELECT \"Sequence\", \"Hash\" INTO head_seq, head_hash FROM \"AuditEvents\" ORDER BY \"Sequence\" DESC LIMIT 1; " +
                "IF NEW.\"Sequence\" IS DISTINCT FROM COALESCE(head_seq, 0) + 1 OR NEW.\"PreviousHash\" IS DISTINCT FROM COALESCE(head_hash, '0000000000000000000000000000000000000000000000000000000000000000') THEN " +
                "RAISE EXCEPTION 'AuditEvents is append-only: an event must follow the head (sequence max + 1, linked to its hash)' USING ERRCODE = 'insufficient_privilege'; END IF; " +
                "RETURN NEW; END; $$;");
            migrationBuilder.Sql("CREATE TRIGGER \"AuditEvents_append_at_head\" BEFORE INSERT ON \"AuditEvents\" FOR EACH ROW EXECUTE FUNCTION audit_events_append_at_head();");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS \"AuditEvents_append_at_head\" ON \"AuditEvents\";");
            migrationBuilder.Sql("DROP FUNCTION IF EXISTS audit_events_append_at_head();");

            migrationBuilder.DropColumn(
                name: "CallerCorrelationId",
                table: "AuditEvents");

            migrationBuilder.DropColumn(
                name: "KeyId",
                table: "AuditEvents");

            migrationBuilder.DropColumn(
                name: "Mac",
                table: "AuditEvents");
        }
    }
}
