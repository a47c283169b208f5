using ControlPlane.Domain.Audit;

namespace ControlPlane.Domain.Tests.Audit;

/// <summary>The canonical form is a contract with outside verifiers: these vectors were computed with Python's json and hashlib.</summary>
public sealed class AuditChainTests
{
    private static AuditEvent Sample(string previousHash) => new()
    {
        Sequence = 7,
        OccurredAtUtc = new DateTime(2026, 1, 15, 9, 30, 0, DateTimeKind.Utc).AddTicks(1234567),
        ActorId = "u-1",
        ActorName = "Ada Lovelace",
        Action = "user.created",
        EntityType = "user",
        EntityId = "u-1",
        Changes = AuditChange.ToJson([
            new AuditChange("user", "u-1", "Email", null, "ada@example.test"),
            new AuditChange("user", "u-1", "Note", "line1\nline2 \"q\" é", null),
        ]),
        Reason = null,
        CorrelationId = "tab\there \u0001 ctrl",
        ClientIp = "corr-1",
        PreviousHash = previousHash,
    };

    [Fact]
    public void The_canonical_form_matches_pythons_json_dumps()
    {
        var e = Sample(AuditChain.GenesisHash);
        e.CorrelationId = "corr-1";
        e.Reason = "tab\there \u0001 ctrl";
        e.ClientIp = "127.0.0.1";

        Assert.Equal(
            "[7,\"2026-01-15T09:30:00.1234567Z\",\"u-1\",\"Ada Lovelace\",\"user.created\",\"user\",\"u-1\"," +
            "[[\"user\",\"u-1\",\"Email\",null,\"ada@example.test\"],[\"user\",\"u-1\",\"Note\",\"line1\\nline2 \\\"q\\\" é\",null]]," +
            "\"tab\\there \\u0001 ctrl\",\"corr-1\",\"127.0.0.1\"]",
            AuditChain.Canonicalize(e));
    }

    [Theory]
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "93c60857c530f61a6636acdcf45655e5eb08b08093650256a4aaf17595aa47b5")]
    [InlineData(AuditChain.GenesisHash, "30fc255284c19ac3a4f1ec666f26962e664d93c6fc861af8b3512b6ecce035ad")]
    public void The_hash_is_sha256_of_the_canonical_form_followed_by_the_previous_hash(string previous, string expected)
    {
        var e = Sample(previous);
        e.CorrelationId = "corr-1";
        e.Reason = "tab\there \u0001 ctrl";
        e.ClientIp = "127.0.0.1";

        Assert.Equal(expected, AuditChain.ComputeHash(e));
    }

    [Fact]
    public void Any_change_to_any_field_changes_the_hash()
    {
        var baseline = AuditChain.ComputeHash(Sample(AuditChain.GenesisHash));
        var variants = new Action<AuditEvent>[]
        {
            e => e.Sequence++, e => e.OccurredAtUtc = e.OccurredAtUtc.AddTicks(1), e => e.ActorId = null, e => e.ActorName += " ",
            e => e.Action = "user.updated", e => e.EntityType = "role", e => e.EntityId = "u-2", e => e.Changes = "[]",
            e => e.Reason = "", e => e.CorrelationId = null, e => e.ClientIp = null, e => e.PreviousHash = new string('1', 64),
        };

        foreach (var change in variants)
        {
            var e = Sample(AuditChain.GenesisHash);
            change(e);
            Assert.NotEqual(baseline, AuditChain.ComputeHash(e));
        }
    }

    [Fact]
    public void Null_and_empty_text_hash_differently()
    {
        var withNull = Sample(AuditChain.GenesisHash);
        var withEmpty = Sample(AuditChain.GenesisHash);
        withEmpty.Reason = "";

        Assert.NotEqual(AuditChain.ComputeHash(withNull), AuditChain.ComputeHash(withEmpty));
    }
}
