using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ControlPlane.Migrations.Sqlite.Migrations
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
                type: "TEXT",
                maxLength: 128,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "KeyId",
                table: "AuditEvents",
                type: "TEXT",
                unicode: false,
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Mac",
                table: "AuditEvents",
                type: "TEXT",
                unicode: false,
                fixedLength: true,
                maxLength: 64,
                nullable: true);

            // Only the next event at the head may be inserted: no row at 0 or in a gap, no INSERT OR REPLACE over an
            // existing event (REPLACE deletes without firing the DELETE trigger).
            migrationBuilder.Sql("CREATE TRIGGER \"AuditEvents_append_at_head\" BEFORE INSERT ON \"AuditEvents\" " +
                "WHEN NEW.\"Sequence\" IS NOT COALESCE((SELECT MAX(\"Sequence\") FROM \"AuditEvents\"), 0) + 1 " +
                "OR NEW.\"PreviousHash\" IS NOT COALESCE((SELECT \"Hash\" FROM \"AuditEvents\" ORDER BY \"Sequence\" DESC LIMIT 1), '0000000000000000000000000000000000000000000000000000000000000000') " +
                "BEGIN SELECT RAISE(ABORT, 'AuditEvents is append-only: an event must follow the head (sequence max + 1, linked to its hash)'); END;");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS \"AuditEvents_append_at_head\";");

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
