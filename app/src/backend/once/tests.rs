//! One submission, one effect, on both engines.

use super::{Posted, fresh_token, run};
use crate::backend::Database;
use crate::backend::testing::on_both_engines;
use crate::error::AppError;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

const KARI: &str = "demo-person-kari";
const OLA: &str = "demo-person-ola";

/// A form's work that counts how often it ran and answers `posted`.
async fn work(
    runs: Arc<AtomicUsize>,
    posted: Result<Posted, AppError>,
) -> Result<Posted, AppError> {
    runs.fetch_add(1, Ordering::SeqCst);
    // Long enough that the repeats arrive while the first is still working.
    tokio::time::sleep(Duration::from_millis(60)).await;
    posted
}

async fn twenty_posts_of_one_form_at_once_do_the_work_once_and_all_land_on_its_page(db: Database) {
    crate::backend::demo::seed(&db).await.unwrap();
    let token = fresh_token();
    let runs = Arc::new(AtomicUsize::new(0));
    let posts = (0..20).map(|_| {
        let done = Ok(Posted::Done("/samtale/1".to_owned()));
        run(&db, KARI, Some(&token), "same", work(runs.clone(), done))
    });
    let answers = futures::future::join_all(posts).await;
    assert_eq!(runs.load(Ordering::SeqCst), 1, "sent once");
    for answer in answers {
        assert_eq!(answer.unwrap(), "/samtale/1");
    }
    // Posted again a while later: still nothing new.
    let late =
        run(&db, KARI, Some(&token), "same", work(runs.clone(), Ok(Posted::Done("/x".into()))));
    assert_eq!(late.await.unwrap(), "/samtale/1");
    assert_eq!(runs.load(Ordering::SeqCst), 1);
}

async fn a_form_that_saved_nothing_or_failed_can_be_posted_again(db: Database) {
    crate::backend::demo::seed(&db).await.unwrap();
    let token = fresh_token();
    let runs = Arc::new(AtomicUsize::new(0));
    let kept = Ok(Posted::NotDone("/barn/x/ny-melding?utkast=1".to_owned()));
    assert_eq!(
        run(&db, KARI, Some(&token), "same", work(runs.clone(), kept)).await.unwrap(),
        "/barn/x/ny-melding?utkast=1"
    );
    let failed = Err(AppError::invalid("error.bad_input"));
    assert!(run(&db, KARI, Some(&token), "same", work(runs.clone(), failed)).await.is_err());
    let sent = Ok(Posted::Done("/samtale/2".to_owned()));
    assert_eq!(
        run(&db, KARI, Some(&token), "same", work(runs.clone(), sent)).await.unwrap(),
        "/samtale/2"
    );
    assert_eq!(runs.load(Ordering::SeqCst), 3, "each was handled anew");
}

async fn a_token_is_one_persons_and_a_post_without_one_is_handled_each_time(db: Database) {
    crate::backend::demo::seed(&db).await.unwrap();
    let token = fresh_token();
    let runs = Arc::new(AtomicUsize::new(0));
    let done = || Ok(Posted::Done("/samtale/3".to_owned()));
    run(&db, KARI, Some(&token), "same", work(runs.clone(), done())).await.unwrap();
    run(&db, OLA, Some(&token), "same", work(runs.clone(), done())).await.unwrap();
    assert_eq!(runs.load(Ordering::SeqCst), 2, "Ola's post is not Kari's repeat");
    for token in [None, Some("not a token"), Some(&*"x".repeat(65))] {
        run(&db, KARI, token, "same", work(runs.clone(), done())).await.unwrap();
        run(&db, KARI, token, "same", work(runs.clone(), done())).await.unwrap();
    }
    assert_eq!(runs.load(Ordering::SeqCst), 8);
}

async fn the_same_page_sent_again_with_other_words_is_a_new_submission(db: Database) {
    crate::backend::demo::seed(&db).await.unwrap();
    let token = fresh_token();
    let runs = Arc::new(AtomicUsize::new(0));
    let sent = |to: &str| Ok(Posted::Done(to.to_owned()));
    let first = run(&db, KARI, Some(&token), "Hei", work(runs.clone(), sent("/samtale/1")));
    assert_eq!(first.await.unwrap(), "/samtale/1");
    // Back, a word changed, sent again: that is meant, and sent.
    let edited = run(&db, KARI, Some(&token), "Hei!", work(runs.clone(), sent("/samtale/2")));
    assert_eq!(edited.await.unwrap(), "/samtale/2");
    assert_eq!(runs.load(Ordering::SeqCst), 2);
}

async fn a_post_dropped_half_way_lets_its_form_be_sent_again(db: Database) {
    crate::backend::demo::seed(&db).await.unwrap();
    let token = fresh_token();
    let runs = Arc::new(AtomicUsize::new(0));
    let never = async { futures::future::pending::<Result<Posted, AppError>>().await };
    let dropped = run(&db, KARI, Some(&token), "same", never);
    // The browser gives up while the work is under way.
    assert!(tokio::time::timeout(Duration::from_millis(200), dropped).await.is_err());
    tokio::time::sleep(Duration::from_millis(200)).await;
    let again =
        run(&db, KARI, Some(&token), "same", work(runs.clone(), Ok(Posted::Done("/s".into()))));
    let answer = tokio::time::timeout(Duration::from_secs(5), again).await;
    assert_eq!(answer.expect("not left waiting").unwrap(), "/s");
}

on_both_engines!(
    the_same_page_sent_again_with_other_words_is_a_new_submission,
    a_post_dropped_half_way_lets_its_form_be_sent_again,
    twenty_posts_of_one_form_at_once_do_the_work_once_and_all_land_on_its_page,
    a_form_that_saved_nothing_or_failed_can_be_posted_again,
    a_token_is_one_persons_and_a_post_without_one_is_handled_each_time,
);
