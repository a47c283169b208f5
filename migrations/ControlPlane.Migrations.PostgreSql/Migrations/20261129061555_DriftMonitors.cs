using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ControlPlane.Migrations.PostgreSql.Migrations
{
    /// <inheritdoc />
    public partial class DriftMonitors : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "DriftMonitors",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    Name = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    NormalizedName = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    Description = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: true),
                    ModelVersionId = table.Column<Guid>(type: "uuid", nullable: true),
                    ReferenceDatasetVersionId = table.Column<Guid>(type: "uuid", nullable: false),
                    CurrentDatasetId = table.Column<Guid>(type: "uuid", nullable: true),
                    CurrentDatasetVersionId = table.Column<Guid>(type: "uuid", nullable: true),
                    Settings = table.Column<string>(type: "text", nullable: false),
                    Schedule = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: true),
                    TimeZone = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Enabled = table.Column<bool>(type: "boolean", nullable: false),
                    WebhookUrl = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    WebhookSecretProtected = table.Column<string>(type: "text", nullable: true),
                    AlertCooldownMinutes = table.Column<int>(type: "integer", nullable: false),
                    LastAlertAtUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    LastAlertSignature = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: true),
                    LastRunId = table.Column<Guid>(type: "uuid", nullable: true),
                    LastRunAtUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    LastRunDrifted = table.Column<bool>(type: "boolean", nullable: true),
                    Owner = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    CreatedAtUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    UpdatedAtUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    ConcurrencyStamp = table.Column<Guid>(type: "uuid", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DriftMonitors", x => x.Id);
                    table.ForeignKey(
                        name: "FK_DriftMonitors_DatasetVersions_CurrentDatasetVersionId",
                        column: x => x.CurrentDatasetVersionId,
                        principalTable: "DatasetVersions",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_DriftMonitors_DatasetVersions_ReferenceDatasetVersionId",
                        column: x => x.ReferenceDatasetVersionId,
                        principalTable: "DatasetVersions",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_DriftMonitors_Datasets_CurrentDatasetId",
                        column: x => x.CurrentDatasetId,
                        principalTable: "Datasets",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_DriftMonitors_ModelVersions_ModelVersionId",
                        column: x => x.ModelVersionId,
                        principalTable: "ModelVersions",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "Notifications",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    Kind = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Title = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    Body = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: false),
                    Link = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    CreatedAtUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Notifications", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "WebhookDeliveries",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    MonitorId = table.Column<Guid>(type: "uuid", nullable: false),
                    RunId = table.Column<Guid>(type: "uuid", nullable: false),
                    Url = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: false),
                    Payload = table.Column<string>(type: "text", nullable: false),
                    Status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Attempts = table.Column<int>(type: "integer", nullable: false),
                    LastStatusCode = table.Column<int>(type: "integer", nullable: true),
                    LastError = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    CreatedAtUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    DeliveredAtUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_WebhookDeliveries", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "DriftRuns",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    MonitorId = table.Column<Guid>(type: "uuid", nullable: false),
                    ReferenceDatasetVersionId = table.Column<Guid>(type: "uuid", nullable: false),
                    CurrentDatasetVersionId = table.Column<Guid>(type: "uuid", nullable: true),
                    Trigger = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    Status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Progress = table.Column<double>(type: "double precision", nullable: false),
                    Error = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: true),
                    DatasetDrift = table.Column<bool>(type: "boolean", nullable: true),
                    DriftShare = table.Column<double>(type: "double precision", nullable: true),
                    DriftedColumns = table.Column<int>(type: "integer", nullable: true),
                    Results = table.Column<string>(type: "text", nullable: true),
                    DurationMs = table.Column<long>(type: "bigint", nullable: true),
                    JobId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    RequestedBy = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    RequestedAtUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    StartedAtUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    CompletedAtUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DriftRuns", x => x.Id);
                    table.ForeignKey(
                        name: "FK_DriftRuns_DriftMonitors_MonitorId",
                        column: x => x.MonitorId,
                        principalTable: "DriftMonitors",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_DriftMonitors_CurrentDatasetId",
                table: "DriftMonitors",
                column: "CurrentDatasetId");

            migrationBuilder.CreateIndex(
                name: "IX_DriftMonitors_CurrentDatasetVersionId",
                table: "DriftMonitors",
                column: "CurrentDatasetVersionId");

            migrationBuilder.CreateIndex(
                name: "IX_DriftMonitors_ModelVersionId",
                table: "DriftMonitors",
                column: "ModelVersionId");

            migrationBuilder.CreateIndex(
                name: "IX_DriftMonitors_NormalizedName",
                table: "DriftMonitors",
                column: "NormalizedName",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_DriftMonitors_ReferenceDatasetVersionId",
                table: "DriftMonitors",
                column: "ReferenceDatasetVersionId");

            migrationBuilder.CreateIndex(
                name: "IX_DriftRuns_MonitorId_RequestedAtUtc",
                table: "DriftRuns",
                columns: new[] { "MonitorId", "RequestedAtUtc" });

            migrationBuilder.CreateIndex(
                name: "IX_Notifications_CreatedAtUtc",
                table: "Notifications",
                column: "CreatedAtUtc");

            migrationBuilder.CreateIndex(
                name: "IX_WebhookDeliveries_MonitorId_CreatedAtUtc",
                table: "WebhookDeliveries",
                columns: new[] { "MonitorId", "CreatedAtUtc" });

            migrationBuilder.CreateIndex(
                name: "IX_WebhookDeliveries_RunId",
                table: "WebhookDeliveries",
                column: "RunId",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "DriftRuns");

            migrationBuilder.DropTable(
                name: "Notifications");

            migrationBuilder.DropTable(
                name: "WebhookDeliveries");

            migrationBuilder.DropTable(
                name: "DriftMonitors");
        }
    }
}
