using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace ControlPlane.Domain.Common;

/// <summary>
/// Stores every DateTime as UTC and reads it back with Kind=Utc. Plain DateTime (not DateTimeOffset)
/// keeps ORDER BY working on SQLite, where DateTimeOffset cannot be sorted in SQL.
/// </summary>
public sealed class UtcDateTimeConverter() : ValueConverter<DateTime, DateTime>(
    v => v.Kind == DateTimeKind.Utc ? v : v.Kind == DateTimeKind.Local ? v.ToUniversalTime() : DateTime.SpecifyKind(v, DateTimeKind.Utc),
    v => DateTime.SpecifyKind(v, DateTimeKind.Utc));
