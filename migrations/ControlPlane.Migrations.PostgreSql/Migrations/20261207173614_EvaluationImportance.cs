using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ControlPlane.Migrations.PostgreSql.Migrations
{
    /// <inheritdoc />
    public partial class EvaluationImportance : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "ImportanceRepeats",
                table: "EvaluationRuns",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "ImportanceSeed",
                table: "EvaluationRuns",
                type: "integer",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "ImportanceRepeats",
                table: "EvaluationRuns");

            migrationBuilder.DropColumn(
                name: "ImportanceSeed",
                table: "EvaluationRuns");
        }
    }
}
