using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ControlPlane.Migrations.PostgreSql.Migrations
{
    /// <inheritdoc />
    public partial class ProductionMonitoring : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "TelemetryRetentionDays",
                table: "Models",
                type: "integer",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "ProductionMonitors",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    ModelId = table.Column<Guid>(type: "uuid", nullable: false),
                    Name = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    NormalizedName = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    Description = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: true),
                    Target = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    TargetValue = table.Column<string>(type: "character varying(512)", maxLength: 512, nullable: false),
                    WindowSize = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    ReferenceDatasetVersionId = table.Column<Guid>(type: "uuid", nullable: true),
                    Settings = table.Column<string>(type: "text", nullable: false),
                    Enabled = table.Column<bool>(type: "boolean", nullable: false),
                    RetrainSpecId = table.Column<Guid>(type: "uuid", nullable: true),
                    AlertCooldownMinutes = table.Column<int>(type: "integer", nullable: false),
                    LastDriftAlertAtUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    LastPerformanceAlertAtUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    LastSloAlertAtUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    Owner = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    CreatedAtUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    UpdatedAtUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    ConcurrencyStamp = table.Column<Guid>(type: "uuid", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ProductionMonitors", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ProductionMonitors_DatasetVersions_ReferenceDatasetVersionId",
                        column: x => x.ReferenceDatasetVersionId,
                        principalTable: "DatasetVersions",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_ProductionMonitors_Models_ModelId",
                        column: x => x.ModelId,
                        principalTable: "Models",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_ProductionMonitors_TrainingSpecs_RetrainSpecId",
                        column: x => x.RetrainSpecId,
                        principalTable: "TrainingSpecs",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "TelemetrySegments",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    ModelId = table.Column<Guid>(type: "uuid", nullable: false),
                    Kind = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    HourUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    FirstTimestampUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    LastTimestampUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    Rows = table.Column<long>(type: "bigint", nullable: false),
                    Path = table.Column<string>(type: "character varying(512)", maxLength: 512, nullable: false),
                    Sha256 = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Size = table.Column<long>(type: "bigint", nullable: false),
                    Level = table.Column<int>(type: "integer", nullable: false),
                    CreatedAtUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    CompactedIntoId = table.Column<Guid>(type: "uuid", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_TelemetrySegments", x => x.Id);
                    table.ForeignKey(
                        name: "FK_TelemetrySegments_Models_ModelId",
                        column: x => x.ModelId,
                        principalTable: "Models",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "ProductionWindows",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    MonitorId = table.Column<Guid>(type: "uuid", nullable: false),
                    StartUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    EndUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    ComputedAtUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    Predictions = table.Column<long>(type: "bigint", nullable: false),
                    Labelled = table.Column<long>(type: "bigint", nullable: false),
                    Errors = table.Column<long>(type: "bigint", nullable: false),
                    Health = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Breaches = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    Results = table.Column<string>(type: "text", nullable: false),
                    InputsStamp = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ProductionWindows", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ProductionWindows_ProductionMonitors_MonitorId",
                        column: x => x.MonitorId,
                        principalTable: "ProductionMonitors",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_ProductionMonitors_ModelId_NormalizedName",
                table: "ProductionMonitors",
                columns: new[] { "ModelId", "NormalizedName" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_ProductionMonitors_ReferenceDatasetVersionId",
                table: "ProductionMonitors",
                column: "ReferenceDatasetVersionId");

            migrationBuilder.CreateIndex(
                name: "IX_ProductionMonitors_RetrainSpecId",
                table: "ProductionMonitors",
                column: "RetrainSpecId");

            migrationBuilder.CreateIndex(
                name: "IX_ProductionWindows_MonitorId_StartUtc",
                table: "ProductionWindows",
                columns: new[] { "MonitorId", "StartUtc" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_TelemetrySegments_CreatedAtUtc",
                table: "TelemetrySegments",
                column: "CreatedAtUtc");

            migrationBuilder.CreateIndex(
                name: "IX_TelemetrySegments_ModelId_Kind_HourUtc",
                table: "TelemetrySegments",
                columns: new[] { "ModelId", "Kind", "HourUtc" });

            migrationBuilder.CreateIndex(
                name: "IX_TelemetrySegments_Path",
                table: "TelemetrySegments",
                column: "Path",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "ProductionWindows");

            migrationBuilder.DropTable(
                name: "TelemetrySegments");

            migrationBuilder.DropTable(
                name: "ProductionMonitors");

            migrationBuilder.DropColumn(
                name: "TelemetryRetentionDays",
                table: "Models");
        }
    }
}
