using System.IdentityModel.Tokens.Jwt;
using System.Security.Claims;
using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using ScopeClaims;
using ScopeClaims.Tests.Shared;
using JsonClaimValueTypes = Microsoft.IdentityModel.JsonWebTokens.JsonClaimValueTypes;

namespace ScopeClaims.Tests.Scopes;

public class ScopeNormalizerTests
{
    private static readonly ScopeSet Expected = ScopeSet.Parse("read:a write:b");

    // The issuer-shape table (tests/Shared/IssuerShapeTable.cs): every shape in the wild.
    public static TheoryData<string, string> IssuerShapes => IssuerShapeTable.Payloads();

    [Theory]
    [MemberData(nameof(IssuerShapes))]
    public void ReadPayloadJson_EveryIssuerShape_GivesTheSameSet(string issuer, string payload)
    {
        Assert.True(Expected.Equals(ScopeNormalizer.Default.ReadPayloadJson(payload)), issuer);
    }

    [Theory]
    [MemberData(nameof(IssuerShapes))]
    public void ReadJsonWebToken_EveryIssuerShape_GivesTheSameSet(string issuer, string payload)
    {
        var token = new JsonWebToken(Unsigned(payload));

        Assert.True(Expected.Equals(ScopeNormalizer.Default.Read(token)), issuer);
    }

    [Theory]
    [MemberData(nameof(IssuerShapes))]
    public void ReadJwtSecurityToken_EveryIssuerShape_GivesTheSameSet(string issuer, string payload)
    {
        var token = new JwtSecurityTokenHandler().ReadJwtToken(Unsigned(payload));

        Assert.True(Expected.Equals(ScopeNormalizer.Default.Read(token)), issuer);
    }

    [Theory]
    [MemberData(nameof(IssuerShapes))]
    public void ReadClaims_AsDotNetProducesThem_GivesTheSameSet(string issuer, string payload)
    {
        // JsonWebToken turns an array into one claim per element and leaves a string as one claim.
        var claims = new JsonWebToken(Unsigned(payload)).Claims;

        Assert.True(Expected.Equals(ScopeNormalizer.Default.Read(claims)), issuer);
    }

    [Fact]
    public void ReadClaims_EntraMappedClaimType_IsRead()
    {
        var identity = new ClaimsIdentity(new[] { new Claim(ScopeClaimTypes.MicrosoftScope, "read:a write:b") }, "Bearer");

        Assert.Equal(Expected, ScopeNormalizer.Default.Read(new ClaimsPrincipal(identity)));
    }

    [Fact]
    public void ReadClaims_JsonArrayTypedClaim_IsRead()
    {
        var claims = new[] { new Claim("scope", """["read:a","write:b"]""", JsonClaimValueTypes.JsonArray) };

        Assert.Equal(Expected, ScopeNormalizer.Default.Read(claims));
    }

    [Fact]
    public void ReadPrincipal_UnauthenticatedIdentity_DoesNotCount()
    {
        var principal = new ClaimsPrincipal(new[]
        {
            new ClaimsIdentity(new[] { new Claim("scope", "admin") }),
            new ClaimsIdentity(new[] { new Claim("scope", "read:a write:b") }, "Bearer"),
        });

        Assert.Equal(Expected, ScopeNormalizer.Default.Read(principal));
    }

    [Fact]
    public void ReadIdentity_ReadsThatIdentity()
    {
        Assert.Equal(Expected, ScopeNormalizer.Default.Read(new ClaimsIdentity(new[] { new Claim("scp", "read:a write:b") })));
    }

    [Fact]
    public void Read_NoScopeClaim_GivesEmpty()
    {
        Assert.Same(ScopeSet.Empty, ScopeNormalizer.Default.ReadPayloadJson("""{"sub":"x"}"""));
        Assert.Same(ScopeSet.Empty, ScopeNormalizer.Default.Read(Array.Empty<Claim>()));
    }

    [Fact]
    public void Read_EmptyArray_GivesEmpty()
    {
        Assert.True(ScopeNormalizer.Default.ReadPayloadJson("""{"scope":[]}""").IsEmpty);
    }

    [Fact]
    public void Read_ScopeThatLooksLikeADate_StaysThatString()
    {
        var payload = """{"scope":["2024-01-01T00:00:00Z"]}""";

        Assert.Equal(new[] { "2024-01-01T00:00:00Z" }, ScopeNormalizer.Default.ReadPayloadJson(payload).ToArray());
        Assert.Equal(new[] { "2024-01-01T00:00:00Z" }, ScopeNormalizer.Default.Read(new JsonWebToken(Unsigned(payload))).ToArray());
        Assert.Equal(new[] { "2024-01-01T00:00:00Z" }, ScopeNormalizer.Default.Read(new JsonWebToken(Unsigned(payload)).Claims).ToArray());
    }

    public static TheoryData<string, ScopeErrorReason> HostilePayloads => new()
    {
        { """{"scope":42}""", ScopeErrorReason.InvalidShape },
        { """{"scope":true}""", ScopeErrorReason.InvalidShape },
        { """{"scope":null}""", ScopeErrorReason.InvalidShape },
        { """{"scope":{"a":"b"}}""", ScopeErrorReason.InvalidShape },
        { """{"scope":["a",["b"]]}""", ScopeErrorReason.InvalidShape },
        { """{"scope":["a",1]}""", ScopeErrorReason.InvalidShape },
        { """{"scope":["a",null]}""", ScopeErrorReason.InvalidShape },
        { """{"scope":["a",{"b":1}]}""", ScopeErrorReason.InvalidShape },
        { """{"scope":["read","write admin"]}""", ScopeErrorReason.ElementContainsSeparator },
        { """{"scope":["read",""]}""", ScopeErrorReason.Empty },
        { """{"scope":""}""", ScopeErrorReason.Empty },
        { """{"scope":"   "}""", ScopeErrorReason.Empty },
        { """{"scope":"read\"write"}""", ScopeErrorReason.InvalidCharacter },
        { """{"scope":"read\\write"}""", ScopeErrorReason.InvalidCharacter },
        { """{"scope":"read\u0000"}""", ScopeErrorReason.InvalidCharacter },
        { """{"scope":"read\twrite"}""", ScopeErrorReason.InvalidCharacter },
        { """{"scope":"read\nwrite"}""", ScopeErrorReason.InvalidCharacter },
        { """{"scope":"lesen:\u00e4"}""", ScopeErrorReason.InvalidCharacter },
        { """{"scope":["a\u00a0b"]}""", ScopeErrorReason.InvalidCharacter },
        { """{"scp":"a","scp":"b"}""", ScopeErrorReason.MalformedJson },
        { """{"scope":"a","scope":"a"}""", ScopeErrorReason.MalformedJson },
        { """{"scope":"a" """, ScopeErrorReason.MalformedJson },
        { """["a"]""", ScopeErrorReason.MalformedJson },
        { """{"scope":"a"} {}""", ScopeErrorReason.MalformedJson },
        { """{"scope":"a","scp":"b"}""", ScopeErrorReason.ConflictingClaims },
    };

    [Theory]
    [MemberData(nameof(HostilePayloads))]
    public void ReadPayloadJson_HostileShape_IsRefusedWithReason(string payload, ScopeErrorReason reason)
    {
        var ex = Assert.Throws<ScopeFormatException>(() => ScopeNormalizer.Default.ReadPayloadJson(payload));

        Assert.Equal(reason, ex.Reason);
        if (reason is not ScopeErrorReason.MalformedJson)
        {
            Assert.NotNull(ex.ClaimName);
            Assert.Contains($"'{ex.ClaimName}'", ex.Message, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(17)]
    [InlineData(60)]
    [InlineData(100)]
    public void ReadPayloadJson_DeeplyNestedOtherClaim_IsLeftToTheTokenValidator(int depth)
    {
        // MaxJsonDepth bounds the scope claims; how deep an unrelated claim nests is the JWT validator's business.
        var arrays = "{\"scope\":\"a\",\"x\":" + new string('[', depth) + new string(']', depth) + "}";
        var objects = "{\"x\":" + string.Concat(Enumerable.Repeat("{\"y\":", depth)) + "1" + new string('}', depth) + ",\"scope\":\"a\"}";

        Assert.Equal(ScopeSet.Parse("a"), ScopeNormalizer.Default.ReadPayloadJson(arrays));
        Assert.Equal(ScopeSet.Parse("a"), ScopeNormalizer.Default.ReadPayloadJson(objects));
        if (depth < 63)
        {
            // Microsoft.IdentityModel itself reads a payload at most 64 deep.
            Assert.Equal(ScopeSet.Parse("a"), ScopeNormalizer.Default.Read(new JsonWebToken(Unsigned(objects))));
        }
    }

    [Fact]
    public void ReadPayloadJson_DeeplyNestedOtherClaimThatIsMalformed_IsStillRefused()
    {
        var payload = "{\"scope\":\"a\",\"x\":" + new string('[', 100) + new string(']', 99) + "}";

        Assert.Equal(ScopeErrorReason.MalformedJson, Assert.Throws<ScopeFormatException>(() => ScopeNormalizer.Default.ReadPayloadJson(payload)).Reason);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(17)]
    [InlineData(100)]
    public void Read_DeeplyNestedScopeClaim_IsRefused(int depth)
    {
        var nested = new string('[', depth) + "\"a\"" + new string(']', depth);
        var payload = "{\"scope\":" + nested + "}";

        Assert.Equal(ScopeErrorReason.InvalidShape, Assert.Throws<ScopeFormatException>(() => ScopeNormalizer.Default.ReadPayloadJson(payload)).Reason);
        Assert.Equal(ScopeErrorReason.InvalidShape, Assert.Throws<ScopeFormatException>(() => ScopeNormalizer.Default.Read(new[] { new Claim("scope", nested, JsonClaimValueTypes.JsonArray) })).Reason);
    }

    [Fact]
    public void Read_JsonArrayClaimDeeperThanMaxJsonDepth_IsRefused()
    {
        var normalizer = new ScopeNormalizer(new ScopeNormalizerOptions { MaxJsonDepth = 2 });
        var claims = new[] { new Claim("scope", "[[[\"a\"]]]", JsonClaimValueTypes.JsonArray) };

        var ex = Assert.Throws<ScopeFormatException>(() => normalizer.Read(claims));

        Assert.Equal("scope", ex.ClaimName);
    }

    // .NET compares claim types ignoring case (ClaimsIdentity.HasClaim, FindAll, RequireClaim), so a claim whose name
    // differs from a scope claim type only in case would be read as that scope claim by the consumer's own checks.
    public static TheoryData<string, string> CaseVariantPayloads => new()
    {
        { """{"SCOPE":"admin"}""", "scope" },
        { """{"Scope":["admin"]}""", "scope" },
        { """{"scope":"read:a","SCOPE":"admin"}""", "scope" },
        { """{"SCOPE":"admin","scope":"read:a"}""", "scope" },
        { """{"scope":"admin","sCoPe":"admin"}""", "scope" },
        { """{"Scope":123}""", "scope" },
        { """{"Scope":null}""", "scope" },
        { """{"Scope":{"admin":true}}""", "scope" },
        { """{"\u0053cope":"admin"}""", "scope" },
        { """{"SCP":["admin"]}""", "scp" },
        { """{"scp":"read:a","Scp":"admin"}""", "scp" },
        { """{"HTTP://SCHEMAS.MICROSOFT.COM/IDENTITY/CLAIMS/SCOPE":"admin"}""", ScopeClaimTypes.MicrosoftScope },
    };

    [Theory]
    [MemberData(nameof(CaseVariantPayloads))]
    public void Read_ClaimNamedLikeAScopeClaimButForCase_IsRefused(string payload, string scopeClaimType)
    {
        foreach (var read in new Func<ScopeSet>[]
        {
            () => ScopeNormalizer.Default.ReadPayloadJson(payload),
            () => ScopeNormalizer.Default.ReadPayloadJson(Encoding.UTF8.GetBytes(payload)),
            () => ScopeNormalizer.Default.Read(new JsonWebToken(Unsigned(payload))),
            () => ScopeNormalizer.Default.Read(new JwtSecurityTokenHandler().ReadJwtToken(Unsigned(payload))),
            () => ScopeNormalizer.Default.Read(new JsonWebToken(Unsigned(payload)).Claims),
            () => ScopeNormalizer.Default.Read(new ClaimsPrincipal(new ClaimsIdentity(new JsonWebToken(Unsigned(payload)).Claims, "Bearer"))),
        })
        {
            var ex = Assert.Throws<ScopeFormatException>(read);

            Assert.Equal(ScopeErrorReason.ConflictingClaims, ex.Reason);
            Assert.Equal(scopeClaimType, ex.ClaimName);
            Assert.Contains("only in case", ex.Message, StringComparison.Ordinal);
            Assert.DoesNotContain("admin", ex.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Read_CaseVariantOfAConfiguredClaimType_IsRefused()
    {
        var options = new ScopeNormalizerOptions();
        options.ClaimTypes.Add("permissions");
        var normalizer = new ScopeNormalizer(options);

        Assert.Equal(ScopeSet.Parse("a"), normalizer.ReadPayloadJson("""{"permissions":["a"]}"""));
        Assert.Equal("permissions", Assert.Throws<ScopeFormatException>(() => normalizer.ReadPayloadJson("""{"permissions":["a"],"PERMISSIONS":["admin"]}""")).ClaimName);
        Assert.Equal("permissions", Assert.Throws<ScopeFormatException>(() => normalizer.Read(new[] { new Claim("Permissions", "admin") })).ClaimName);
    }

    [Fact]
    public void Read_CaseVariantOfAClaimTypeNotConfigured_IsNotTheNormalizersConcern()
    {
        // With only "permissions" configured, "scope" is not a scope claim to this normalizer, in any case.
        var options = new ScopeNormalizerOptions();
        options.ClaimTypes.Clear();
        options.ClaimTypes.Add("permissions");
        var normalizer = new ScopeNormalizer(options);

        Assert.Equal(ScopeSet.Parse("a"), normalizer.ReadPayloadJson("""{"permissions":["a"],"SCOPE":"admin"}"""));
    }

    [Fact]
    public void Read_ClaimNameThatOnlyLooksLikeAScopeClaim_IsNotRefused()
    {
        // Other lengths, and characters that OrdinalIgnoreCase (so ClaimsIdentity.HasClaim) does not fold to ASCII: the
        // long s and the dotless i. The writing side refuses those names too (see ClaimNameRulesTests).
        var payload = """{"scope":"a","scopes":"admin","sco":"x","scp_":"y","SCOPE_":"z","\u017Fcope":"admin","http://schemas.microsoft.com/\u0131dentity/claims/scope":"admin"}""";
        var claims = new JsonWebToken(Unsigned(payload)).Claims.ToList();

        Assert.Equal(ScopeSet.Parse("a"), ScopeNormalizer.Default.ReadPayloadJson(payload));
        Assert.Equal(ScopeSet.Parse("a"), ScopeNormalizer.Default.Read(claims));
        // The premise: .NET's own check does not read them as scope claims either.
        Assert.False(new ClaimsIdentity(claims.Where(c => c.Type != "scope"), "Bearer").HasClaim("scope", "admin"));
    }

    [Fact]
    public void ReadPayloadJson_OversizedString_IsRefused()
    {
        var normalizer = new ScopeNormalizer(new ScopeNormalizerOptions { Limits = new ScopeLimits { MaxTotalLength = 100 } });
        var payload = "{\"scope\":\"" + string.Join(' ', Enumerable.Repeat("abcdefgh", 50)) + "\"}";

        Assert.Equal(ScopeErrorReason.TooLong, Assert.Throws<ScopeFormatException>(() => normalizer.ReadPayloadJson(payload)).Reason);
    }

    [Fact]
    public void ReadPayloadJson_StringJustOverTheLimit_IsRefusedWithItsLength_EscapedOrNot()
    {
        var normalizer = new ScopeNormalizer(new ScopeNormalizerOptions { Limits = new ScopeLimits { MaxTotalLength = 100 } });
        var plain = "{\"scope\":\"" + new string('a', 101) + "\"}";
        var escaped = "{\"scope\":\"\\u0061" + new string('a', 100) + "\"}";

        foreach (var payload in new[] { plain, escaped })
        {
            var ex = Assert.Throws<ScopeFormatException>(() => normalizer.ReadPayloadJson(payload));
            Assert.Equal(ScopeErrorReason.TooLong, ex.Reason);
            Assert.Contains("is 101 characters long; the limit is 100", ex.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void ReadPayloadJson_HugeString_IsRefusedBeforeTranscoding()
    {
        var payload = "{\"scope\":\"" + new string('a', 10_000_000) + "\"}";
        var before = GC.GetAllocatedBytesForCurrentThread();

        var ex = Assert.Throws<ScopeFormatException>(() => ScopeNormalizer.Default.ReadPayloadJson(payload));

        Assert.Equal(ScopeErrorReason.TooLong, ex.Reason);
        Assert.InRange(GC.GetAllocatedBytesForCurrentThread() - before, 0, 64 * 1024);
    }

    [Fact]
    public void ReadPayloadJson_OversizedArray_IsRefused()
    {
        var normalizer = new ScopeNormalizer(new ScopeNormalizerOptions { Limits = new ScopeLimits { MaxScopes = 3 } });

        Assert.Equal(ScopeErrorReason.TooManyScopes, Assert.Throws<ScopeFormatException>(() => normalizer.ReadPayloadJson("""{"scope":["a","b","c","d"]}""")).Reason);
    }

    public static TheoryData<Claim[], ScopeErrorReason> HostileClaims => new()
    {
        { new[] { new Claim("scope", "read"), new Claim("scope", "write admin") }, ScopeErrorReason.ElementContainsSeparator },
        { new[] { new Claim("scope", "42", ClaimValueTypes.Integer) }, ScopeErrorReason.InvalidShape },
        { new[] { new Claim("scope", "read"), new Claim("scope", "1", ClaimValueTypes.Integer32) }, ScopeErrorReason.InvalidShape },
        { new[] { new Claim("scope", "true", ClaimValueTypes.Boolean) }, ScopeErrorReason.InvalidShape },
        { new[] { new Claim("scope", "{}", JsonClaimValueTypes.Json) }, ScopeErrorReason.InvalidShape },
        { new[] { new Claim("scope", "", JsonClaimValueTypes.JsonNull) }, ScopeErrorReason.InvalidShape },
        { new[] { new Claim("scope", """["a",["b"]]""", JsonClaimValueTypes.JsonArray) }, ScopeErrorReason.InvalidShape },
        { new[] { new Claim("scope", """{"a":1}""", JsonClaimValueTypes.JsonArray) }, ScopeErrorReason.InvalidShape },
        { new[] { new Claim("scope", "") }, ScopeErrorReason.Empty },
        { new[] { new Claim("scope", "a"), new Claim("scope", "") }, ScopeErrorReason.Empty },
        { new[] { new Claim("scope", "a\tb") }, ScopeErrorReason.InvalidCharacter },
        { new[] { new Claim("scope", "a"), new Claim("scp", "b") }, ScopeErrorReason.ConflictingClaims },
    };

    [Theory]
    [MemberData(nameof(HostileClaims))]
    public void ReadClaims_HostileShape_IsRefusedWithReason(Claim[] claims, ScopeErrorReason reason)
    {
        var ex = Assert.Throws<ScopeFormatException>(() => ScopeNormalizer.Default.Read(claims));

        Assert.Equal(reason, ex.Reason);
        Assert.NotNull(ex.ClaimName);
    }

    [Fact]
    public void ReadClaims_ArrayElementWithSpace_FromRealToken_IsNeverSplit()
    {
        var claims = new JsonWebToken(Unsigned("""{"scope":["read","write admin"]}""")).Claims;

        Assert.Equal(ScopeErrorReason.ElementContainsSeparator, Assert.Throws<ScopeFormatException>(() => ScopeNormalizer.Default.Read(claims)).Reason);
    }

    [Fact]
    public void ReadClaims_NumberElementFromRealToken_IsRefused()
    {
        var claims = new JsonWebToken(Unsigned("""{"scope":["read",7]}""")).Claims;

        Assert.Throws<ScopeFormatException>(() => ScopeNormalizer.Default.Read(claims));
    }

    [Theory]
    [InlineData(MultipleScopeClaimsBehavior.FirstPresent, "a")]
    [InlineData(MultipleScopeClaimsBehavior.Union, "a b")]
    public void Read_ScopeAndScpBothPresent_GivesFirstPresentOrUnionAsConfigured(MultipleScopeClaimsBehavior behavior, string expected)
    {
        var normalizer = new ScopeNormalizer(new ScopeNormalizerOptions { MultipleClaims = behavior });

        Assert.Equal(ScopeSet.Parse(expected), normalizer.ReadPayloadJson("""{"scp":["b"],"scope":"a"}"""));
        Assert.Equal(ScopeSet.Parse(expected), normalizer.Read(new[] { new Claim("scp", "b"), new Claim("scope", "a") }));
    }

    [Fact]
    public void ClaimTypes_AreConfigurable()
    {
        var options = new ScopeNormalizerOptions();
        options.ClaimTypes.Clear();
        options.ClaimTypes.Add("permissions");
        var normalizer = new ScopeNormalizer(options);

        Assert.Equal(ScopeSet.Parse("x y"), normalizer.ReadPayloadJson("""{"permissions":["x","y"],"scope":"ignored"}"""));
    }

    [Fact]
    public void Constructor_InvalidOptions_Throw()
    {
        var empty = new ScopeNormalizerOptions();
        empty.ClaimTypes.Clear();
        Assert.Throws<ArgumentException>(() => new ScopeNormalizer(empty));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ScopeNormalizer(new ScopeNormalizerOptions { MaxJsonDepth = 1 }));
        Assert.Throws<ArgumentNullException>(() => new ScopeNormalizer((ScopeNormalizerOptions)null!));
    }

    [Fact]
    public void ArgumentValidation_NullArguments_Throw()
    {
        var n = ScopeNormalizer.Default;
        Assert.Throws<ArgumentNullException>(() => n.Read((ClaimsPrincipal)null!));
        Assert.Throws<ArgumentNullException>(() => n.Read((ClaimsIdentity)null!));
        Assert.Throws<ArgumentNullException>(() => n.Read((IEnumerable<Claim>)null!));
        Assert.Throws<ArgumentNullException>(() => n.Read((JsonWebToken)null!));
        Assert.Throws<ArgumentNullException>(() => n.Read((JwtSecurityToken)null!));
        Assert.Throws<ArgumentNullException>(() => n.ReadPayloadJson((string)null!));
    }

    internal static string Unsigned(string payload) =>
        Base64UrlEncoder.Encode("""{"alg":"none","typ":"JWT"}""") + "." + Base64UrlEncoder.Encode(Encoding.UTF8.GetBytes(payload)) + ".";
}
