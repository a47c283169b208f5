namespace ControlPlane.Domain.Audit;

/// <summary>Names of explicit audit actions; entity changes without a name get <c>{entity}.{created|updated|deleted}</c>.</summary>
public static class AuditActions
{
    public const string LoginSucceeded = "auth.login_succeeded";
    public const string LoginFailed = "auth.login_failed";
    public const string Logout = "auth.logout";
    public const string AccessDenied = "auth.access_denied";
    public const string TokenCreated = "token.created";
    public const string TokenRevoked = "token.revoked";
    public const string UserCreated = "user.created";
    public const string UserRolesChanged = "user.roles_changed";
    public const string UserDisabled = "user.disabled";
    public const string UserEnabled = "user.enabled";
    public const string UserSignedOut = "user.signed_out_everywhere";
    public const string SessionRevoked = "session.revoked";
    public const string JobStarted = "job.started";
    public const string JobSucceeded = "job.succeeded";
    public const string JobFailed = "job.failed";
    public const string WorkerSelfTestRequested = "worker.self_test_requested";
    public const string SignatureFailed = "signature.failed";
    public const string AuditDigestWritten = "audit.digest_written";
    public const string AuditKeyRotated = "audit.key_rotated";
    public const string TokenRefused = "auth.token_refused";
    public const string AuditVerified = "audit.verified";
    public const string AuditExported = "audit.exported";
    public const string ArtifactDownloaded = "artifact.downloaded";
    public const string DatasetDownloaded = "dataset.downloaded";
    public const string DatasetPreviewed = "dataset.previewed";
    public const string ServingLoadFailed = "serving.load_failed";
    public const string SignInDenied = "auth.sign_in_denied";
    public const string OidcGroupMappingsChanged = "oidc.group_mappings_changed";
}
