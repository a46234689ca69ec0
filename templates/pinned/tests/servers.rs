//! Server selection, checked against the URLs Gr4vy documents for each environment.

use gr4vy::{Client, Server};

#[test]
fn sandbox_with_the_example_instance_is_the_default() {
    let client = Client::builder().build().expect("client builds");
    assert_eq!(client.base_url(), "https://api.sandbox.example.gr4vy.app");
}

#[test]
fn production_fills_in_the_instance_id() {
    let client = Client::builder()
        .server(Server::Production)
        .id("acme")
        .build()
        .expect("client builds");
    assert_eq!(client.base_url(), "https://api.acme.gr4vy.app");
    let client = Client::builder().id("acme").build().expect("client builds");
    assert_eq!(client.base_url(), "https://api.sandbox.acme.gr4vy.app");
}

#[test]
fn a_base_url_override_wins_and_loses_its_trailing_slash() {
    let client = Client::builder()
        .server(Server::Production)
        .base_url("http://127.0.0.1:8080/")
        .build()
        .expect("client builds");
    assert_eq!(client.base_url(), "http://127.0.0.1:8080");
}

#[test]
fn servers_report_their_spec_ids() {
    let ids: Vec<&str> = Server::ALL.iter().map(|s| s.id()).collect();
    assert_eq!(ids, ["sandbox", "production"]);
    assert_eq!(Server::default(), Server::Sandbox);
}
