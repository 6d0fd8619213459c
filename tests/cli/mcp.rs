//! `git-milestone mcp`: the Model Context Protocol server for coding agents. With the `mcp`
//! feature (the default) it is driven as a client drives it ([`server`]); without it the
//! command says how to build it in.

#[cfg(feature = "mcp")]
mod server;

#[cfg(not(feature = "mcp"))]
#[test]
fn mcp_without_the_feature_says_how_to_build_it() {
    let repo = crate::support::TestRepo::new();
    let run = repo.milestone(["mcp"]).failure(crate::support::EXIT_CANNOT_RUN);
    assert!(
        run.stderr()
            .starts_with("error: this git-milestone was built without the `mcp` feature; rebuild with"),
        "{run}"
    );
    assert!(run.stderr().contains("hint: `cargo install --path . --features mcp`"), "{run}");
    assert_eq!(run.stdout(), "", "{run}");
}
