using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ControlPlane.Migrations.PostgreSql.Migrations
{
    /// <inheritdoc />
    public partial class Training : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "TrainingSpecs",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    ModelId = table.Column<Guid>(type: "uuid", nullable: false),
                    Name = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    Description = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: true),
                    Task = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    LabelColumn = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    Features = table.Column<string>(type: "text", nullable: false),
                    Trainer = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Hyperparameters = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: false),
                    ValidationFraction = table.Column<double>(type: "double precision", nullable: false),
                    CrossValidationFolds = table.Column<int>(type: "integer", nullable: true),
                    Seed = table.Column<int>(type: "integer", nullable: false),
                    TrainingDatasetId = table.Column<Guid>(type: "uuid", nullable: false),
                    TrainingDatasetVersionId = table.Column<Guid>(type: "uuid", nullable: true),
                    EvaluationDatasetId = table.Column<Guid>(type: "uuid", nullable: true),
                    EvaluationDatasetVersionId = table.Column<Guid>(type: "uuid", nullable: true),
                    Schedule = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: true),
                    TimeZone = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Enabled = table.Column<bool>(type: "boolean", nullable: false),
                    DriftMonitorId = table.Column<Guid>(type: "uuid", nullable: true),
                    DriftCooldownMinutes = table.Column<int>(type: "integer", nullable: false),
                    Hash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Owner = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    CreatedAtUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    UpdatedAtUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    ConcurrencyStamp = table.Column<Guid>(type: "uuid", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_TrainingSpecs", x => x.Id);
                    table.ForeignKey(
                        name: "FK_TrainingSpecs_DatasetVersions_EvaluationDatasetVersionId",
                        column: x => x.EvaluationDatasetVersionId,
                        principalTable: "DatasetVersions",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_TrainingSpecs_DatasetVersions_TrainingDatasetVersionId",
                        column: x => x.TrainingDatasetVersionId,
                        principalTable: "DatasetVersions",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_TrainingSpecs_Datasets_EvaluationDatasetId",
                        column: x => x.EvaluationDatasetId,
                        principalTable: "Datasets",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_TrainingSpecs_Datasets_TrainingDatasetId",
                        column: x => x.TrainingDatasetId,
                        principalTable: "Datasets",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_TrainingSpecs_DriftMonitors_DriftMonitorId",
                        column: x => x.DriftMonitorId,
                        principalTable: "DriftMonitors",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_TrainingSpecs_Models_ModelId",
                        column: x => x.ModelId,
                        principalTable: "Models",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "TrainingRuns",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    SpecId = table.Column<Guid>(type: "uuid", nullable: false),
                    SpecHash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Trigger = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    DatasetVersionId = table.Column<Guid>(type: "uuid", nullable: true),
                    Status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Progress = table.Column<double>(type: "double precision", nullable: false),
                    Phase = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    CancelRequested = table.Column<bool>(type: "boolean", nullable: false),
                    Error = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: true),
                    Metrics = table.Column<string>(type: "text", nullable: true),
                    TrainingRows = table.Column<long>(type: "bigint", nullable: true),
                    ValidationRows = table.Column<long>(type: "bigint", nullable: true),
                    ModelVersionId = table.Column<Guid>(type: "uuid", nullable: true),
                    OnnxExport = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    OnnxMessage = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: true),
                    OnnxSha256 = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    EvaluationId = table.Column<Guid>(type: "uuid", nullable: true),
                    BaselineEvaluationId = table.Column<Guid>(type: "uuid", nullable: true),
                    TrainingMs = table.Column<long>(type: "bigint", nullable: true),
                    Machine = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    JobId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    RequestedBy = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    RequestedAtUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    StartedAtUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    CompletedAtUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    ConcurrencyStamp = table.Column<Guid>(type: "uuid", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_TrainingRuns", x => x.Id);
                    table.ForeignKey(
                        name: "FK_TrainingRuns_DatasetVersions_DatasetVersionId",
                        column: x => x.DatasetVersionId,
                        principalTable: "DatasetVersions",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_TrainingRuns_ModelVersions_ModelVersionId",
                        column: x => x.ModelVersionId,
                        principalTable: "ModelVersions",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_TrainingRuns_TrainingSpecs_SpecId",
                        column: x => x.SpecId,
                        principalTable: "TrainingSpecs",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_TrainingRuns_DatasetVersionId",
                table: "TrainingRuns",
                column: "DatasetVersionId");

            migrationBuilder.CreateIndex(
                name: "IX_TrainingRuns_ModelVersionId",
                table: "TrainingRuns",
                column: "ModelVersionId");

            migrationBuilder.CreateIndex(
                name: "IX_TrainingRuns_RequestedAtUtc",
                table: "TrainingRuns",
                column: "RequestedAtUtc");

            migrationBuilder.CreateIndex(
                name: "IX_TrainingRuns_SpecId_RequestedAtUtc",
                table: "TrainingRuns",
                columns: new[] { "SpecId", "RequestedAtUtc" });

            migrationBuilder.CreateIndex(
                name: "IX_TrainingSpecs_DriftMonitorId",
                table: "TrainingSpecs",
                column: "DriftMonitorId");

            migrationBuilder.CreateIndex(
                name: "IX_TrainingSpecs_EvaluationDatasetId",
                table: "TrainingSpecs",
                column: "EvaluationDatasetId");

            migrationBuilder.CreateIndex(
                name: "IX_TrainingSpecs_EvaluationDatasetVersionId",
                table: "TrainingSpecs",
                column: "EvaluationDatasetVersionId");

            migrationBuilder.CreateIndex(
                name: "IX_TrainingSpecs_ModelId_Name",
                table: "TrainingSpecs",
                columns: new[] { "ModelId", "Name" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_TrainingSpecs_TrainingDatasetId",
                table: "TrainingSpecs",
                column: "TrainingDatasetId");

            migrationBuilder.CreateIndex(
                name: "IX_TrainingSpecs_TrainingDatasetVersionId",
                table: "TrainingSpecs",
                column: "TrainingDatasetVersionId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "TrainingRuns");

            migrationBuilder.DropTable(
                name: "TrainingSpecs");
        }
    }
}
