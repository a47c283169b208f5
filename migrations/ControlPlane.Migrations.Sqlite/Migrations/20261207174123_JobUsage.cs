using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ControlPlane.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class JobUsage : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "CostSettings",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Key = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    Amount = table.Column<double>(type: "REAL", nullable: false),
                    AlertedMonth = table.Column<string>(type: "TEXT", maxLength: 7, nullable: true),
                    UpdatedBy = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    UpdatedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    ConcurrencyStamp = table.Column<Guid>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CostSettings", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "JobUsages",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    JobId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    RunId = table.Column<Guid>(type: "TEXT", nullable: true),
                    ModelId = table.Column<Guid>(type: "TEXT", nullable: true),
                    Worker = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    Queue = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    StartedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    EndedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    Outcome = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    WallMs = table.Column<double>(type: "REAL", nullable: false),
                    CpuMs = table.Column<double>(type: "REAL", nullable: false),
                    ChildCpuMs = table.Column<double>(type: "REAL", nullable: false),
                    PeakMemoryBytes = table.Column<long>(type: "INTEGER", nullable: false),
                    PeakMemoryIsChild = table.Column<bool>(type: "INTEGER", nullable: false),
                    GpuMs = table.Column<double>(type: "REAL", nullable: false),
                    Rows = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_JobUsages", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_CostSettings_Kind_Key",
                table: "CostSettings",
                columns: new[] { "Kind", "Key" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_JobUsages_ModelId_StartedAtUtc",
                table: "JobUsages",
                columns: new[] { "ModelId", "StartedAtUtc" });

            migrationBuilder.CreateIndex(
                name: "IX_JobUsages_RunId",
                table: "JobUsages",
                column: "RunId");

            migrationBuilder.CreateIndex(
                name: "IX_JobUsages_StartedAtUtc",
                table: "JobUsages",
                column: "StartedAtUtc");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "CostSettings");

            migrationBuilder.DropTable(
                name: "JobUsages");
        }
    }
}
