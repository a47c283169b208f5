using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ControlPlane.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class OidcGroupMappings : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTime>(
                name: "IdpAuthTimeUtc",
                table: "PromotionDecisions",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "IdpIssuer",
                table: "PromotionDecisions",
                type: "TEXT",
                maxLength: 512,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "OidcGroupMappings",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    Group = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    Role = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_OidcGroupMappings", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_OidcGroupMappings_Group_Role",
                table: "OidcGroupMappings",
                columns: new[] { "Group", "Role" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "OidcGroupMappings");

            migrationBuilder.DropColumn(
                name: "IdpAuthTimeUtc",
                table: "PromotionDecisions");

            migrationBuilder.DropColumn(
                name: "IdpIssuer",
                table: "PromotionDecisions");
        }
    }
}
