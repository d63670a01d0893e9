using System.Text;

namespace Tessera.LoadTarget.Scenarios;

/// <summary>
/// Row 6 (Tessera bearer, ES256) with a verified-token cache miss on every request (#13): the same
/// handler and options, but wrk sends each of a batch of unique tokens once, fetched from
/// <see cref="IssuingBench.FeedPath"/> before every run, so every request pays a full signature
/// verification: the worst case the cache leaves. <see cref="IssuingBench.VerifyPath"/> gives the
/// row's floor: the same kind of token verified by bare ECDsa in this process (<see cref="BareEs256Verification"/>).
/// </summary>
public sealed class IssuingEs256MissScenario : ITargetScenario
{
    private readonly TesseraBearerScenario _bearer = new("ES256", checkSid: false);

    public bool Authenticates => _bearer.Authenticates;

    // Row 6 with misses: the same pipeline as row 6.
    public bool UsesTesseraMiddleware => _bearer.UsesTesseraMiddleware;

    public Task ConfigureAsync(WebApplicationBuilder builder, TargetOptions options) => _bearer.ConfigureAsync(builder, options);

    public void MapSignIn(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        _bearer.MapSignIn(app);
        app.MapPost(IssuingBench.FeedPath, async (HttpContext context, BenchTokenIssuer issuer, int count) =>
        {
            if (count is < 1 or > 5_000_000)
            {
                return Results.BadRequest();
            }

            IReadOnlyList<string> tokens = await issuer.IssueUniqueAsync(RandomIds.New128(), Tessera.AspNetCore.Http.ClientInfo.From(context), count, context.RequestAborted);
            var text = new StringBuilder(tokens.Count * (tokens[0].Length + 1));
            foreach (string token in tokens)
            {
                text.Append(token).Append('\n');
            }

            return Results.Text(text.ToString(), "text/plain");
        }).AllowAnonymous();
        app.MapPost(IssuingBench.VerifyPath, async (HttpContext context, BenchTokenIssuer issuer, int milliseconds) =>
        {
            if (milliseconds is < 1 or > 600_000)
            {
                return Results.BadRequest();
            }

            // A token made as the feed makes them (same header, same payload shape, the ring's key).
            IReadOnlyList<string> tokens = await issuer.IssueUniqueAsync(RandomIds.New128(), Tessera.AspNetCore.Http.ClientInfo.From(context), 1, context.RequestAborted);
            using var bare = BareEs256Verification.For(tokens[0], issuer.VerificationKeys);
            return Results.Text(bare.VerifyFor(TimeSpan.FromMilliseconds(milliseconds)).ToString(System.Globalization.CultureInfo.InvariantCulture), "text/plain");
        }).AllowAnonymous();
    }

    public Task RevokeAsync(HttpContext context) => _bearer.RevokeAsync(context);

    public Task PrepareAsync(IServiceProvider services, TargetOptions options) => _bearer.PrepareAsync(services, options);

}
